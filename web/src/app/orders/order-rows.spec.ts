import { order } from '../../testing/fixtures';
import { grandTotals, orderRows } from './order-rows';

const NOW = Date.parse('2030-01-02T10:00:00.000Z');

describe('orderRows', () => {
  it('lists newest first with product names and totals', () => {
    const rows = orderRows(
      [
        order({ orderId: 'old', createdAt: '2030-01-01T10:00:00.000Z' }),
        order({ orderId: 'new', createdAt: '2030-01-02T10:00:00.000Z', quantity: 2, totalCents: 9800 }),
      ],
      [{ sku: 'demo-hoodie', name: 'Midnight Hoodie' }],
      NOW,
    );
    expect(rows.map((row) => row.orderId)).toEqual(['new', 'old']);
    expect(rows[0]).toMatchObject({ productName: 'Midnight Hoodie', quantity: 2 });
    expect(rows[0]?.total).toMatch(/98[.,]00/);
  });

  it('falls back to the sku when the product is not in the catalog', () => {
    expect(orderRows([order({ sku: 'gone' })], [], NOW)[0]?.productName).toBe('gone');
  });

  it("gives each order's status in words at the clock's time", () => {
    const rows = orderRows(
      [
        order({ orderId: 'paid', holdExpiresAt: '2030-01-02T10:05:00.000Z' }),
        order({ orderId: 'held', status: 'PENDING_PAYMENT', holdExpiresAt: '2030-01-02T10:05:00.000Z' }),
        order({ orderId: 'refunded', status: 'REFUNDED', statusReason: 'Paid too late.' }),
      ],
      [],
      NOW,
    );
    expect(rows.map((row) => [row.orderId, row.status.label])).toEqual([
      ['paid', 'Paid'],
      ['held', 'Waiting for payment'],
      ['refunded', 'Refunded'],
    ]);
    expect(
      orderRows(
        [order({ status: 'PENDING_PAYMENT', holdExpiresAt: '2030-01-02T10:05:00.000Z' })],
        [],
        Date.parse('2030-01-02T10:05:00.000Z'),
      )[0]?.status.label,
    ).toBe('Hold ended');
  });
});

describe('grandTotals', () => {
  it('sums per currency', () => {
    const totals = grandTotals([
      order({ totalCents: 4900 }),
      order({ totalCents: 100 }),
      order({ currency: 'USD', totalCents: 250 }),
    ]);
    expect(totals).toHaveLength(2);
    expect(totals[0]).toMatch(/50[.,]00/);
    expect(totals[1]).toMatch(/2[.,]50/);
  });

  it('counts only confirmed orders: held, expired, cancelled and refunded ones cost nothing', () => {
    const totals = grandTotals([
      order({ totalCents: 4900 }),
      order({ totalCents: 1000, status: 'PENDING_PAYMENT' }),
      order({ totalCents: 1000, status: 'EXPIRED' }),
      order({ totalCents: 1000, status: 'CANCELLED' }),
      order({ totalCents: 1000, status: 'REFUNDED' }),
    ]);
    expect(totals).toHaveLength(1);
    expect(totals[0]).toMatch(/49[.,]00/);
    expect(grandTotals([order({ status: 'CANCELLED' })])).toEqual([]);
  });
});
