import { allowedCpus, onCpus, parseCpuList, placeEngine } from "../src/cpu-affinity";
import { startDynamoLocal } from "../src/dynamo-local";

test("CPU lists in Linux syntax are read as CPU numbers, and anything else is refused", () => {
  expect(parseCpuList("0-3,6")).toEqual([0, 1, 2, 3, 6]);
  expect(parseCpuList("1")).toEqual([1]);
  expect(parseCpuList("3-1")).toBeUndefined();
  expect(parseCpuList("a,b")).toBeUndefined();
});

test("the engine gets the last allowed CPU to itself and everything else the rest", () => {
  expect(placeEngine([0, 1])).toEqual({ engine: "1", others: "0" });
  expect(placeEngine([5, 2, 3])).toEqual({ engine: "5", others: "2,3" });
});

test("with a single CPU nothing is placed: the engine must share it", () => {
  expect(placeEngine([0])).toBeUndefined();
  expect(placeEngine([])).toBeUndefined();
});

test("a command without CPUs is left as it is", () => {
  expect(onCpus(undefined, "java", ["-jar", "x.jar"])).toEqual(["java", ["-jar", "x.jar"]]);
});

test("DynamoDB Local started on one CPU runs on that CPU only", async () => {
  // prepare: the CPUs this process may use (a machine with taskset, as every run of perf needs)
  const mine = allowedCpus();
  expect(mine).toBeDefined();
  const target = String(mine![0]);

  // act
  const engine = await startDynamoLocal({ cpus: target });
  try {
    // assess
    expect(allowedCpus(engine.pid)).toEqual([Number(target)]);
  } finally {
    await engine.stop();
  }
}, 60_000);
