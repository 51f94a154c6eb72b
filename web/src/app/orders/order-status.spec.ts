import { order } from '../../testing/fixtures';
import { formatHoldTime, holdEndedMessage, holdMessage, holdMsLeft, holdPhase, statusWords } from './order-status';

const NOW = Date.parse('2030-01-01T10:05:00.000Z');
const held = (overrides = {}) =>
  order({
    status: 'PENDING_PAYMENT',
    holdExpiresAt: '2030-01-01T10:10:00.000Z',
    checkoutUrl: 'https://pay.test/s/1',
    ...overrides,
  });

describe('holdMessage', () => {
  it('says how many units are held and for how long, singular for one', () => {
    expect(holdMessage(2, 299_000)).toBe('Your 2 units are held for 4:59');
    expect(holdMessage(1, 30_000)).toBe('Your 1 unit is held for 0:30');
  });

  it('says the hold ended, singular for one', () => {
    expect(holdEndedMessage(2)).toBe('The hold on your 2 units has ended: they go back on sale.');
    expect(holdEndedMessage(1)).toBe('The hold on your 1 unit has ended: it goes back on sale.');
  });
});

describe('formatHoldTime', () => {
  it.each([
    [300_000, '5:00'],
    [299_001, '5:00'],
    [299_000, '4:59'],
    [5_000, '0:05'],
    [1, '0:01'],
    [0, '0:00'],
    [-4_000, '0:00'],
    [3_600_000, '1:00:00'],
  ])('shows %i ms as %s (rounded up: 0:00 only once it has ended)', (ms, shown) => {
    expect(formatHoldTime(ms)).toBe(shown);
  });
});

describe('holdPhase', () => {
  it('changes only at the last minute and at the end, so a live region speaks twice at most', () => {
    expect(holdPhase(300_000)).toBe('held');
    expect(holdPhase(60_001)).toBe('held');
    expect(holdPhase(60_000)).toBe('last-minute');
    expect(holdPhase(1)).toBe('last-minute');
    expect(holdPhase(0)).toBe('ended');
  });
});

describe('holdMsLeft', () => {
  it('counts to the hold end on the given clock, never below 0', () => {
    expect(holdMsLeft(held(), NOW)).toBe(300_000);
    expect(holdMsLeft(held(), NOW + 400_000)).toBe(0);
    expect(holdMsLeft(order(), NOW)).toBe(0);
  });
});

describe('statusWords', () => {
  it('calls a paid payment order "Paid" and an instant one "Confirmed"', () => {
    expect(statusWords(order({ holdExpiresAt: '2030-01-01T10:10:00.000Z' }), NOW)).toMatchObject({
      state: 'paid',
      label: 'Paid',
    });
    expect(statusWords(order(), NOW)).toMatchObject({ state: 'confirmed', label: 'Confirmed', detail: '' });
  });

  it('says "Waiting for payment" while the hold runs', () => {
    expect(statusWords(held(), NOW)).toEqual({ state: 'waiting', label: 'Waiting for payment', detail: '' });
  });

  it("gives a declined card's message and that the order is still pending", () => {
    const words = statusWords(held({ paymentError: 'Your card was declined' }), NOW);
    expect(words.state).toBe('declined');
    expect(words.label).toBe('Payment declined');
    expect(words.detail).toBe('Your card was declined. Your order is still waiting for payment: try again.');
  });

  it('reads a pending order whose hold ran out on the clock as ended, before the shop says EXPIRED', () => {
    expect(statusWords(held({ paymentError: 'Declined.' }), Date.parse('2030-01-01T10:10:00.000Z'))).toMatchObject({
      state: 'hold-ended',
      label: 'Hold ended',
    });
  });

  it('names the ends of a hold, with units back on sale', () => {
    expect(statusWords(held({ status: 'EXPIRED', quantity: 2 }), NOW)).toEqual({
      state: 'expired',
      label: 'Hold expired',
      detail: 'It was not paid in time; the 2 units went back on sale.',
    });
    expect(statusWords(held({ status: 'CANCELLED' }), NOW)).toEqual({
      state: 'cancelled',
      label: 'Cancelled',
      detail: 'You cancelled it before paying; the unit went back on sale.',
    });
  });

  it("gives a refund's reason, and the shop's reason on any other status", () => {
    const reason = 'Paid after the hold ended and nothing was left: refunded in full.';
    expect(statusWords(order({ status: 'REFUNDED', statusReason: reason }), NOW)).toEqual({
      state: 'refunded',
      label: 'Refunded',
      detail: reason,
    });
    expect(statusWords(order({ status: 'REFUNDED' }), NOW).detail).toBe('Your payment was returned.');
    expect(
      statusWords(
        order({ holdExpiresAt: '2030-01-01T10:10:00.000Z', statusReason: 'Paid late; units taken again.' }),
        NOW,
      ).detail,
    ).toBe('Paid late; units taken again.');
  });
});
