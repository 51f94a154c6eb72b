import { order } from '../../testing/fixtures';
import { grandTotals, orderRows } from './order-rows';

describe('orderRows', () => {
  it('lists newest first with product names and totals', () => {
    const rows = orderRows(
      [
        order({ orderId: 'old', createdAt: '2030-01-01T10:00:00.000Z' }),
        order({ orderId: 'new', createdAt: '2030-01-02T10:00:00.000Z', quantity: 2, totalCents: 9800 }),
      ],
      [{ sku: 'demo-hoodie', name: 'Midnight Hoodie' }],
    );
    expect(rows.map((row) => row.orderId)).toEqual(['new', 'old']);
    expect(rows[0]).toMatchObject({ productName: 'Midnight Hoodie', quantity: 2 });
    expect(rows[0]?.total).toMatch(/98[.,]00/);
  });

  it('falls back to the sku when the product is not in the catalog', () => {
    expect(orderRows([order({ sku: 'gone' })], [])[0]?.productName).toBe('gone');
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
});
