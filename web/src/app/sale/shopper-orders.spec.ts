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

  it('keeps what it knows when the order list cannot be read', async () => {
    const orders = create();
    orders.add(order({ orderId: 'a', quantity: 2 }));
    listOrders.mockRejectedValue(new Error('offline'));

    await orders.load();

    expect(orders.bought()).toEqual({ 'demo-hoodie': 2 });
  });
});
