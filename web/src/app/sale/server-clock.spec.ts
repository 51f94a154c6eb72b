import { MAX_ROUND_TRIP_MS, ServerClock } from './server-clock';

describe('ServerClock', () => {
  const SERVER = Date.parse('2030-01-01T10:00:00.000Z');
  let monotonic: number;
  let wall: number;
  let clock: ServerClock;

  beforeEach(() => {
    monotonic = 5_000;
    wall = SERVER + 20 * 60_000; // the browser's clock is 20 minutes fast
    clock = new ServerClock(
      () => monotonic,
      () => wall,
    );
  });

  it("uses the browser's clock only until a reply carries the server's time", () => {
    expect(clock.synchronized).toBe(false);
    expect(clock.now()).toBe(wall);
  });

  it("takes the server's time as written halfway through the round trip, then runs on the monotonic clock", () => {
    // Sent at 5,000, answered at 5,200: the server wrote its time around 5,100.
    clock.observe(SERVER, 5_000, 5_200);
    monotonic = 5_200;
    expect(clock.now()).toBe(SERVER + 100);

    monotonic = 65_200;
    wall -= 40 * 60_000; // the browser's clock is changed meanwhile: it makes no difference
    expect(clock.now()).toBe(SERVER + 60_100);
  });

  it('keeps the freshest estimate: a copy cached at the edge is older, never newer', () => {
    clock.observe(SERVER, 5_000, 5_020); // fresh: offset SERVER - 5,010
    clock.observe(SERVER + 1_100, 7_000, 7_020); // 900 ms stale: would say SERVER - 5,910
    monotonic = 8_000;
    expect(clock.now()).toBe(SERVER + 2_990);

    expect(clock.observe(SERVER + 3_000, 8_000, 8_020)).toBe(false); // as fresh as the first: no change
    expect(clock.observe(SERVER + 3_100, 8_000, 8_020)).toBe(true); // fresher still: it moves forward
    monotonic = 8_020;
    expect(clock.now()).toBe(SERVER + 3_110);
  });

  it("a snapshot's asOf is a lower bound: it counts as written no later than its answer", () => {
    clock.observe(SERVER, 5_100, 5_100);
    monotonic = 6_100;
    expect(clock.now()).toBe(SERVER + 1_000);
  });

  it('ignores replies that say nothing useful: too slow, out of order, or without a time', () => {
    expect(clock.observe(SERVER, 5_000, 5_000 + MAX_ROUND_TRIP_MS + 1)).toBe(false);
    expect(clock.observe(SERVER, 5_200, 5_000)).toBe(false);
    expect(clock.observe(Number.NaN, 5_000, 5_100)).toBe(false);
    expect(clock.synchronized).toBe(false);
  });
});
