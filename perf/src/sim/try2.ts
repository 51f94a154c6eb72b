import { sustainableShardRate } from "./contention";
const t = performance.now();
sustainableShardRate({ shards: Number(process.argv[2] ?? 4), arrivalsPerSecond: Number(process.argv[3] ?? 1000) }).then((r) => console.log(r, performance.now() - t));
