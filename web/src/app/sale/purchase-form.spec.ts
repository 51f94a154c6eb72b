import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { deferred, order, product } from '../../testing/fixtures';
import { ApiError } from '../core/api-error';
import { ShopApi } from '../core/shop-api';
import type { Order, Product, PurchaseIntent } from '../core/shop-types';
import { OrderConfirmation } from './order-confirmation';
import { PurchaseForm } from './purchase-form';

describe('PurchaseForm', () => {
  const purchase = jest.fn<Promise<Order>, [PurchaseIntent]>();
  let fixture: ComponentFixture<PurchaseForm>;
  let confirmation: OrderConfirmation;

  async function render(item: Product = product()): Promise<void> {
    TestBed.configureTestingModule({ providers: [{ provide: ShopApi, useValue: { purchase } }, OrderConfirmation] });
    confirmation = TestBed.inject(OrderConfirmation);
    fixture = TestBed.createComponent(PurchaseForm);
    fixture.componentRef.setInput('product', item);
    await fixture.whenStable();
  }

  const element = () => fixture.nativeElement as HTMLElement;
  const button = () => element().querySelector('button') as HTMLButtonElement;
  const select = () => element().querySelector('select') as HTMLSelectElement;
  const options = () => Array.from(select().options).map((option) => option.value);

  beforeEach(() => purchase.mockReset());

  it('offers quantities up to the per-customer limit, or what is left if fewer', async () => {
    await render(product({ perCustomerLimit: 3, available: 50 }));
    expect(options()).toEqual(['1', '2', '3']);

    fixture.componentRef.setInput('product', product({ perCustomerLimit: 3, available: 2 }));
    await fixture.whenStable();
    expect(options()).toEqual(['1', '2']);
  });

  it('has a labelled quantity control', async () => {
    await render();
    expect(select().closest('label')?.textContent).toContain('Quantity');
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
    expect(confirmation.latest()).toEqual(order());
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

  it('shows the refusal in plain words, and a new press is a new intent', async () => {
    purchase.mockRejectedValueOnce(new ApiError(409, 'LIMIT_EXCEEDED', 'Limit reached: each customer can buy at most 2 of this product.'));
    purchase.mockResolvedValueOnce(order());
    await render();

    button().click();
    await fixture.whenStable();
    expect(element().querySelector('[role="alert"]')?.textContent).toContain('Limit reached');

    button().click();
    await fixture.whenStable();
    expect(purchase.mock.calls[1]?.[0].idempotencyKey).not.toBe(purchase.mock.calls[0]?.[0].idempotencyKey);
    expect(element().querySelector('[role="alert"]')).toBeNull();
  });

  it('still confirms a purchase whose form disappeared while it was in flight', async () => {
    const pending = deferred<Order>();
    purchase.mockReturnValue(pending.promise);
    await render();
    button().click();
    fixture.destroy(); // e.g. a poll showed the product sold out meanwhile

    pending.resolve(order());
    await pending.promise;

    expect(confirmation.latest()).toEqual(order());
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
});
