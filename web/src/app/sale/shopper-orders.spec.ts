import { TestBed } from '@angular/core/testing';
import { order } from '../../testing/fixtures';
import { ShopApi } from '../core/shop-api';
import { ShopperOrders, unitsPerSku } from './shopper-orders';

describe('unitsPerSku', () => {
  it('adds up the quantities of every order per product', () => {
    const units = unitsPerSku([
      order({ quantity: 1 }),
      order({ quantity: 2 }),
      order({ sku: 'demo-watch', quantity: 1 }),
    ]);
    expect(units).toEqual({ 'demo-hoodie': 3, 'demo-watch': 1 });
  });

  it('counts only the orders in the statuses asked for (confirmed by default)', () => {
    const orders = [
      order({ quantity: 1 }),
      order({ quantity: 2, status: 'PENDING_PAYMENT' }),
      order({ quantity: 4, status: 'CANCELLED' }),
    ];
    expect(unitsPerSku(orders)).toEqual({ 'demo-hoodie': 1 });
    expect(unitsPerSku(orders, ['CONFIRMED', 'PENDING_PAYMENT'])).toEqual({ 'demo-hoodie': 3 });
  });
});

describe('ShopperOrders', () => {
  const listOrders = jest.fn();

  function create(): ShopperOrders {
    TestBed.configureTestingModule({ providers: [ShopperOrders, { provide: ShopApi, useValue: { listOrders } }] });
    return TestBed.inject(ShopperOrders);
  }

  beforeEach(() => listOrders.mockReset());

  it('counts an order once, whether it arrives confirmed, replayed, or in the order list', async () => {
    const orders = create();
    orders.add(order({ orderId: 'a', quantity: 1 }));
    orders.add(order({ orderId: 'a', quantity: 1 }));
    listOrders.mockResolvedValue([order({ orderId: 'a', quantity: 1 }), order({ orderId: 'b', quantity: 1 })]);

    await orders.load();

    expect(orders.bought()).toEqual({ 'demo-hoodie': 2 });
  });

  it('keeps the newest copy of an order: a hold that ends stops counting as held or taken', async () => {
    const orders = create();
    orders.add(order({ orderId: 'a', quantity: 1 }));
    orders.add(order({ orderId: 'h', quantity: 2, status: 'PENDING_PAYMENT' }));
    expect(orders.bought()).toEqual({ 'demo-hoodie': 1 });
    expect(orders.held()).toEqual({ 'demo-hoodie': 2 });
    expect(orders.taken()).toEqual({ 'demo-hoodie': 3 });
    expect(orders.pending().map((held) => held.orderId)).toEqual(['h']);

    orders.add(order({ orderId: 'h', quantity: 2, status: 'EXPIRED' }));
    expect(orders.get('h')?.status).toBe('EXPIRED');
    expect(orders.held()).toEqual({});
    expect(orders.taken()).toEqual({ 'demo-hoodie': 1 });
    expect(orders.pending()).toEqual([]);
  });

  it('lists held orders newest first', () => {
    const orders = create();
    orders.add(
      order({ orderId: 'old', status: 'PENDING_PAYMENT', createdAt: '2030-01-01T10:00:00.000Z' }),
      order({ orderId: 'new', status: 'PENDING_PAYMENT', createdAt: '2030-01-01T10:01:00.000Z' }),
    );
    expect(orders.pending().map((held) => held.orderId)).toEqual(['new', 'old']);
  });

  it('keeps what it knows when the order list cannot be read', async () => {
    const orders = create();
    orders.add(order({ orderId: 'a', quantity: 2 }));
    listOrders.mockRejectedValue(new Error('offline'));

    await orders.load();

    expect(orders.bought()).toEqual({ 'demo-hoodie': 2 });
  });
});
