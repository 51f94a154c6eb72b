import { describeWait, lineMessage, pollDelayMs } from './line-format';

describe('line words', () => {
  it('says how many are ahead and about how long', () => {
    expect(lineMessage(1234, 300)).toBe("You're in line: about 1,234 ahead, ~5 min");
    expect(lineMessage(0, 20)).toBe("You're in line: you are next, less than a minute");
  });

  it('rounds the wait to whole minutes', () => {
    expect(describeWait(59)).toBe('less than a minute');
    expect(describeWait(89)).toBe('~1 min');
    expect(describeWait(91)).toBe('~2 min');
  });

  it('never polls sooner than 1 s or later than 5 min', () => {
    expect(pollDelayMs(0)).toBe(1_000);
    expect(pollDelayMs(30)).toBe(30_000);
    expect(pollDelayMs(3_600)).toBe(300_000);
    expect(pollDelayMs(undefined)).toBe(2_000);
  });
});
