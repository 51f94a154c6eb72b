import { product } from '../../testing/fixtures';
import {
  allowanceWords,
  describeCountdown,
  formatCountdown,
  formatPrice,
  keepPlaces,
  quantityChoices,
  saleOrder,
  saleState,
  stockFraction,
} from './sale-format';

const START = Date.parse('2030-01-01T10:00:00.000Z');
const END = Date.parse('2030-01-08T10:00:00.000Z');

describe('saleState', () => {
  it('is upcoming before the start, open from the start instant, ended from the end instant', () => {
    const item = product();
    expect(saleState(item, START - 1)).toBe('upcoming');
    expect(saleState(item, START)).toBe('open');
    expect(saleState(item, END - 1)).toBe('open');
    expect(saleState(item, END)).toBe('ended');
  });

  it('is sold out when the shop says so or no unit is left, even before the start', () => {
    expect(saleState(product({ soldOut: true, available: 0 }), START + 1)).toBe('sold-out');
    expect(saleState(product({ available: 0 }), START + 1)).toBe('sold-out');
    expect(saleState(product({ available: 0 }), START - 1)).toBe('sold-out');
  });

  it('says ended rather than sold out once the sale window has closed', () => {
    expect(saleState(product({ soldOut: true, available: 0 }), END)).toBe('ended');
  });
});

describe('formatPrice', () => {
  it('turns integer cents into the currency amount', () => {
    expect(formatPrice(4900, 'EUR', 'en-US')).toBe('€49.00');
    expect(formatPrice(12_999, 'USD', 'en-US')).toBe('$129.99');
  });

  it('respects currencies without minor units', () => {
    expect(formatPrice(500, 'JPY', 'en-US')).toBe('¥500');
  });
});

describe('formatCountdown', () => {
  it('shows minutes and seconds under an hour, rounding up partial seconds', () => {
    expect(formatCountdown(65_000)).toBe('01:05');
    expect(formatCountdown(64_001)).toBe('01:05');
  });

  it('adds hours and days when needed', () => {
    expect(formatCountdown(3_600_000 + 2_000)).toBe('01:00:02');
    expect(formatCountdown(2 * 86_400_000 + 3 * 3_600_000 + 4 * 60_000 + 5_000)).toBe('2d 03:04:05');
  });

  it('never goes below zero', () => {
    expect(formatCountdown(-5_000)).toBe('00:00');
  });

  it('has a spoken form for screen readers', () => {
    expect(describeCountdown(61_000)).toBe('1 minute 1 second');
    expect(describeCountdown(3_600_000 + 120_000)).toBe('1 hour 2 minutes');
    expect(describeCountdown(0)).toBe('0 seconds');
  });
});

describe('stockFraction', () => {
  it('is the share of the most units seen', () => {
    expect(stockFraction(25, 100)).toBe(0.25);
    expect(stockFraction(100, 100)).toBe(1);
  });

  it('is empty when nothing is left or nothing was ever seen', () => {
    expect(stockFraction(0, 100)).toBe(0);
    expect(stockFraction(0, 0)).toBe(0);
  });
});

describe('quantityChoices', () => {
  it('offers 1 up to the per-customer limit', () => {
    expect(quantityChoices(3, 50)).toEqual([1, 2, 3]);
  });

  it('offers no more than is left', () => {
    expect(quantityChoices(3, 2)).toEqual([1, 2]);
    expect(quantityChoices(3, 0)).toEqual([]);
  });
});

describe('saleOrder', () => {
  const HOUR = 3_600_000;
  const at = (ms: number) => new Date(ms).toISOString();

  it('puts open sales first, then upcoming by start time, then sold out, and ended last', () => {
    const now = START + HOUR;
    const products = [
      product({ sku: 'ended', saleStartsAt: at(START - 2 * HOUR), saleEndsAt: at(START) }),
      product({ sku: 'later', saleStartsAt: at(now + 3 * HOUR) }),
      product({ sku: 'sold-out', available: 0, soldOut: true }),
      product({ sku: 'open-a' }),
      product({ sku: 'sooner', saleStartsAt: at(now + HOUR) }),
      product({ sku: 'open-b' }),
    ];
    expect(saleOrder(products, now).map((item) => item.sku)).toEqual([
      'open-a',
      'open-b',
      'sooner',
      'later',
      'sold-out',
      'ended',
    ]);
  });

  it('moves a product up as its sale opens', () => {
    const products = [product({ sku: 'open', saleStartsAt: at(START - HOUR) }), product({ sku: 'opening' })];
    expect(saleOrder(products, START - 1).map((item) => item.sku)).toEqual(['open', 'opening']);
    expect(saleOrder([...products].reverse(), START - 1).map((item) => item.sku)).toEqual(['open', 'opening']);
    expect(saleOrder([...products].reverse(), START).map((item) => item.sku)).toEqual(['opening', 'open']);
  });
});

describe('keepPlaces', () => {
  const HOUR = 3_600_000;
  const at = (ms: number) => new Date(ms).toISOString();
  const skus = (items: { sku: string }[]) => items.map((item) => item.sku);
  /** What the grid shows after each change: the places kept from what it showed before. */
  const arrange = (
    shown: ReturnType<typeof product>[] | undefined,
    products: ReturnType<typeof product>[],
    now: number,
  ) => keepPlaces(shown, saleOrder(products, now));

  it('orders a first showing as saleOrder does', () => {
    const products = [product({ sku: 'sold', available: 0, soldOut: true }), product({ sku: 'open' })];
    expect(skus(arrange(undefined, products, START + HOUR))).toEqual(['open', 'sold']);
  });

  it('never moves a card that sells out while shown: it stays where the shopper saw it', () => {
    const now = START + HOUR;
    const before = [
      product({ sku: 'watch', available: 1 }),
      product({ sku: 'tote' }),
      product({ sku: 'cap', saleStartsAt: at(now + HOUR) }),
    ];
    const shown = arrange(undefined, before, now);
    expect(skus(shown)).toEqual(['watch', 'tote', 'cap']);

    const after = [
      product({ sku: 'watch', available: 0, soldOut: true }),
      product({ sku: 'tote' }),
      product({ sku: 'cap', saleStartsAt: at(now + HOUR) }),
    ];
    const next = arrange(shown, after, now);

    expect(skus(next)).toEqual(['watch', 'tote', 'cap']);
    expect(next[0]?.soldOut).toBe(true); // the fresh product, in its old place
  });

  it('keeps places as sales open and end', () => {
    const products = [product({ sku: 'open', saleStartsAt: at(START - HOUR) }), product({ sku: 'opening' })];
    const shown = arrange(undefined, products, START - 1);
    expect(skus(arrange(shown, products, START))).toEqual(['open', 'opening']);
    expect(skus(arrange(shown, products, END))).toEqual(['open', 'opening']);
  });

  it('puts products added to the sale after the ones shown, and drops the ones gone', () => {
    const now = START + HOUR;
    const shown = arrange(undefined, [product({ sku: 'a' }), product({ sku: 'b' })], now);
    const next = arrange(
      shown,
      [product({ sku: 'new-sold', available: 0 }), product({ sku: 'b' }), product({ sku: 'new-open' })],
      now,
    );
    expect(skus(next)).toEqual(['b', 'new-open', 'new-sold']);
  });
});

describe('allowanceWords', () => {
  it('says what the shopper bought and holds against the limit', () => {
    expect(allowanceWords(0, 0, 2)).toBe('');
    expect(allowanceWords(1, 0, 2)).toBe('You bought 1 of 2');
    expect(allowanceWords(0, 2, 2)).toBe('You have 2 of 2 on hold');
    expect(allowanceWords(1, 1, 3)).toBe('You bought 1 and hold 1 of 3');
  });
});
