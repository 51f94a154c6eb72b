import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { Router, provideRouter } from '@angular/router';
import { fakeSession } from '../../testing/session';
import { deferred, order, product } from '../../testing/fixtures';
import { ApiError } from '../core/api-error';
import { ShopApi } from '../core/shop-api';
import type { Order, Product, PurchaseIntent } from '../core/shop-types';
import { CatalogPoller } from './catalog-poller';
import { PurchaseForm } from './purchase-form';
import { PurchaseOutcomes } from './purchase-outcomes';
import { ShopperOrders } from './shopper-orders';

describe('PurchaseForm', () => {
  const purchase = jest.fn<Promise<Order>, [PurchaseIntent, ((attempt: number, attempts: number) => void)?]>();
  const listOrders = jest.fn<Promise<Order[]>, []>();
  let fixture: ComponentFixture<PurchaseForm>;
  let outcomes: PurchaseOutcomes;
  let orders: ShopperOrders;
  /** The sale page's catalog, as far as the form uses it: it is told of each confirmed purchase. */
  const catalog = { reflect: jest.fn() };

  async function render(item: Product = product(), bought: Order[] = [], signedIn = true): Promise<void> {
    TestBed.configureTestingModule({
      providers: [
        { provide: ShopApi, useValue: { purchase, listOrders } },
        { provide: CatalogPoller, useValue: catalog },
        PurchaseOutcomes,
        ShopperOrders,
        fakeSession(signedIn),
        provideRouter([]),
      ],
    });
    outcomes = TestBed.inject(PurchaseOutcomes);
    orders = TestBed.inject(ShopperOrders);
    orders.add(...bought);
    fixture = TestBed.createComponent(PurchaseForm);
    fixture.componentRef.setInput('product', item);
    await fixture.whenStable();
  }

  const element = () => fixture.nativeElement as HTMLElement;
  const button = () => element().querySelector('button') as HTMLButtonElement;
  const select = () => element().querySelector('select') as HTMLSelectElement;
  const options = () => Array.from(select().options).map((option) => option.value);

  beforeEach(() => {
    purchase.mockReset();
    listOrders.mockReset().mockResolvedValue([]);
    catalog.reflect.mockReset();
  });

  it('offers quantities up to the per-customer limit, or what is left if fewer', async () => {
    await render(product({ perCustomerLimit: 3, available: 50 }));
    expect(options()).toEqual(['1', '2', '3']);

    fixture.componentRef.setInput('product', product({ perCustomerLimit: 3, available: 2 }));
    await fixture.whenStable();
    expect(options()).toEqual(['1', '2']);
  });

  it('offers only the quantities this shopper may still buy', async () => {
    await render(product({ perCustomerLimit: 4 }), [order({ orderId: 'a', quantity: 2 })]);
    expect(options()).toEqual(['1', '2']);
  });

  it('shows no Quantity menu when 1 is the only choice (a limit of 1), and buys 1', async () => {
    purchase.mockResolvedValue(order());
    await render(product({ perCustomerLimit: 1 }));
    expect(element().querySelector('select')).toBeNull();
    expect(element().textContent).not.toContain('Quantity');

    button().click();
    await fixture.whenStable();

    expect(purchase.mock.calls[0]?.[0]).toMatchObject({ sku: 'demo-hoodie', quantity: 1 });
  });

  it('drops the menu once only 1 more may be bought, or only 1 is left', async () => {
    await render(product({ perCustomerLimit: 3 }), [order({ orderId: 'a', quantity: 2 })]);
    expect(element().querySelector('select')).toBeNull();
    expect(button().disabled).toBe(false);

    fixture.componentRef.setInput('product', product({ perCustomerLimit: 5, available: 1 }));
    await fixture.whenStable();
    expect(element().querySelector('select')).toBeNull();
  });

  it('counts held units against the limit, and not those of holds that ended', async () => {
    await render(product({ perCustomerLimit: 3 }), [
      order({ orderId: 'held', quantity: 1, status: 'PENDING_PAYMENT' }),
      order({ orderId: 'cancelled', quantity: 1, status: 'CANCELLED' }),
      order({ orderId: 'expired', quantity: 1, status: 'EXPIRED' }),
    ]);
    expect(options()).toEqual(['1', '2']);

    orders.add(order({ orderId: 'held', quantity: 1, status: 'CANCELLED' }));
    await fixture.whenStable();
    expect(options()).toEqual(['1', '2', '3']);
  });

  it('offers nothing and cannot be pressed once the shopper has bought the limit', async () => {
    await render(product({ perCustomerLimit: 2 }), [
      order({ orderId: 'a', quantity: 1 }),
      order({ orderId: 'b', quantity: 1 }),
    ]);
    expect(element().querySelector('select')).toBeNull();
    expect(button().disabled).toBe(true);
    button().click();
    expect(purchase).not.toHaveBeenCalled();
  });

  it('names its controls after the product, for screen readers', async () => {
    await render();
    expect(select().closest('label')?.querySelector('span')?.textContent?.replace(/\s+/g, ' ').trim()).toBe(
      'Quantity of Midnight Hoodie',
    );
    expect(button().textContent?.replace(/\s+/g, ' ').trim()).toBe('Buy Midnight Hoodie');
    expect(button().querySelector('.visually-hidden')?.textContent).toBe(' Midnight Hoodie');
  });

  it('shows progress and ignores further clicks while a purchase is under way', async () => {
    const pending = deferred<Order>();
    purchase.mockReturnValue(pending.promise);
    await render();

    button().click();
    button().click();
    await fixture.whenStable();

    expect(purchase).toHaveBeenCalledTimes(1);
    expect(button().disabled).toBe(true);
    expect(button().textContent).toContain('Buying');
    expect(button().getAttribute('aria-busy')).toBe('true');

    pending.resolve(order());
    await pending.promise; // lets the form's own continuation run first
    await fixture.whenStable();
    expect(button().disabled).toBe(false);
    expect(outcomes.of('demo-hoodie')).toEqual({ kind: 'ordered', order: order() });
  });

  it('shows which retry is under way while the shop is busy, then the outcome', async () => {
    const pending = deferred<Order>();
    purchase.mockImplementation((_intent, onRetry) => {
      onRetry?.(2, 4);
      return pending.promise;
    });
    await render();

    button().click();
    await fixture.whenStable();
    expect(button().textContent).toContain('Busy, retrying 2 of 4…');
    expect(element().querySelector('[role="status"]')?.textContent).toBe('Busy, retrying 2 of 4…');

    pending.resolve(order());
    await pending.promise;
    await fixture.whenStable();
    expect(button().textContent).not.toContain('retrying');
    expect(element().querySelector('[role="status"]')?.textContent).toBe('');
  });

  it('counts a confirmed order at once, so the choices shrink without waiting for the order list', async () => {
    purchase.mockResolvedValue(order({ orderId: 'new', quantity: 1 }));
    await render(product({ perCustomerLimit: 2 }));
    button().click();
    await fixture.whenStable();
    expect(element().querySelector('select')).toBeNull();
    expect(button().disabled).toBe(false);
  });

  it("tells the sale's catalog of a confirmed purchase, so its card counts the units at once", async () => {
    purchase.mockResolvedValue(order({ orderId: 'new', quantity: 2 }));
    await render(product({ perCustomerLimit: 3 }));
    select().value = '2';
    select().dispatchEvent(new Event('change'));

    button().click();
    await fixture.whenStable();

    expect(catalog.reflect).toHaveBeenCalledWith(order({ orderId: 'new', quantity: 2 }));
  });

  it('tells the catalog nothing of a refused purchase', async () => {
    purchase.mockRejectedValue(new ApiError(409, 'SOLD_OUT', 'Sold out: every unit has been sold.'));
    await render();
    button().click();
    await fixture.whenStable();
    expect(catalog.reflect).not.toHaveBeenCalled();
  });

  it('buys the chosen quantity with a fresh idempotency key per intent', async () => {
    purchase.mockResolvedValue(order());
    await render(product({ perCustomerLimit: 3 }));
    select().value = '2';
    select().dispatchEvent(new Event('change'));

    button().click();
    await fixture.whenStable();
    button().click();
    await fixture.whenStable();

    const [first, second] = purchase.mock.calls.map(([intent]) => intent);
    expect(first).toMatchObject({ sku: 'demo-hoodie', quantity: 2 });
    expect(first?.idempotencyKey).toMatch(/^[0-9a-f-]{36}$/);
    expect(second?.idempotencyKey).not.toBe(first?.idempotencyKey);
  });

  it('reports the refusal in plain words in place of the last outcome, and a new press is a new intent', async () => {
    purchase.mockRejectedValueOnce(new ApiError(409, 'SOLD_OUT', 'Sold out: every unit has been sold.'));
    purchase.mockResolvedValueOnce(order());
    await render();
    outcomes.ordered(order({ orderId: 'earlier' }));

    button().click();
    await fixture.whenStable();
    expect(outcomes.of('demo-hoodie')).toEqual({ kind: 'refused', message: 'Sold out: every unit has been sold.' });

    button().click();
    await fixture.whenStable();
    expect(purchase.mock.calls[1]?.[0].idempotencyKey).not.toBe(purchase.mock.calls[0]?.[0].idempotencyKey);
    expect(outcomes.of('demo-hoodie')).toEqual({ kind: 'ordered', order: order() });
  });

  it('re-reads the orders after a limit refusal, to learn what was bought elsewhere', async () => {
    purchase.mockRejectedValueOnce(
      new ApiError(409, 'LIMIT_EXCEEDED', 'Limit reached: each customer can buy at most 2 of this product.'),
    );
    listOrders.mockResolvedValue([order({ orderId: 'other-tab', quantity: 2 })]);
    await render(product({ perCustomerLimit: 2 }));

    button().click();
    await fixture.whenStable();
    await new Promise((resolve) => setTimeout(resolve));
    await fixture.whenStable();

    expect(listOrders).toHaveBeenCalled();
    expect(orders.bought()['demo-hoodie']).toBe(2);
    expect(button().disabled).toBe(true);
  });

  it('still confirms a purchase whose form disappeared while it was in flight', async () => {
    const pending = deferred<Order>();
    purchase.mockReturnValue(pending.promise);
    await render();
    button().click();
    fixture.destroy(); // e.g. a poll showed the product sold out meanwhile

    pending.resolve(order());
    await pending.promise;

    expect(outcomes.of('demo-hoodie')).toEqual({ kind: 'ordered', order: order() });
  });

  it('reuses the key when the shopper retries an intent whose outcome stayed unknown', async () => {
    purchase.mockRejectedValueOnce(new ApiError(0, 'NETWORK', 'Could not reach the shop.'));
    purchase.mockResolvedValueOnce(order());
    await render();

    button().click();
    await fixture.whenStable();
    button().click();
    await fixture.whenStable();

    expect(purchase.mock.calls[1]?.[0].idempotencyKey).toBe(purchase.mock.calls[0]?.[0].idempotencyKey);
  });

  it('asks a visitor to sign in at Buy, to come back to this page, and buys nothing', async () => {
    await render(product(), [], false);
    const navigate = jest.spyOn(TestBed.inject(Router), 'navigate').mockResolvedValue(true);
    jest.spyOn(TestBed.inject(Router), 'url', 'get').mockReturnValue('/p/demo-hoodie');

    await fixture.componentInstance.buy();

    expect(navigate).toHaveBeenCalledWith(['/sign-in'], { queryParams: { returnUrl: '/p/demo-hoodie' } });
    expect(purchase).not.toHaveBeenCalled();
  });
});
