import { signal } from '@angular/core';
import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { deferred, order, product } from '../../testing/fixtures';
import { ApiError } from '../core/api-error';
import { ShopApi } from '../core/shop-api';
import type { Order } from '../core/shop-types';
import { Clock } from '../sale/clock';
import { PLACEHOLDER_IMAGE } from '../sale/sale-format';
import { ORDER_POLL_MS } from './order-follower';
import { OrderPage } from './order-page';

const NOW = Date.parse('2030-01-01T10:05:00.000Z');
const HOLD_END = NOW + 299_000;
const held = (overrides: Partial<Order> = {}) =>
  order({
    orderId: 'held-1',
    quantity: 2,
    totalCents: 9800,
    status: 'PENDING_PAYMENT',
    holdExpiresAt: new Date(HOLD_END).toISOString(),
    checkoutUrl: 'https://pay.test/session/1',
    ...overrides,
  });

describe('OrderPage', () => {
  let fixture: ComponentFixture<OrderPage>;
  const now = signal(NOW);
  const api = { getOrder: jest.fn(), cancelOrder: jest.fn(), listProducts: jest.fn(), availability: jest.fn() };

  beforeEach(() => {
    for (const call of Object.values(api)) call.mockReset();
    api.listProducts.mockResolvedValue({ products: [product({ checkout: 'payment' })], asOf: '' });
    now.set(NOW);
  });

  afterEach(() => {
    (fixture?.nativeElement as HTMLElement | undefined)?.remove();
    jest.useRealTimers();
  });

  function create(current: Order | Error): HTMLElement {
    if (current instanceof Error) api.getOrder.mockRejectedValue(current);
    else api.getOrder.mockResolvedValue(current);
    TestBed.configureTestingModule({
      providers: [
        provideRouter([]),
        { provide: ShopApi, useValue: api },
        { provide: Clock, useValue: { now, synchronized: true, observe: jest.fn() } },
      ],
    });
    fixture = TestBed.createComponent(OrderPage);
    fixture.componentRef.setInput('orderId', current instanceof Error ? 'gone' : current.orderId);
    document.body.appendChild(fixture.nativeElement);
    return fixture.nativeElement as HTMLElement;
  }

  async function render(current: Order | Error): Promise<HTMLElement> {
    const page = create(current);
    await fixture.whenStable();
    await fixture.whenStable();
    return page;
  }

  const status = (page: HTMLElement) => page.querySelector('[role="status"].status')?.textContent?.trim();
  const detail = (page: HTMLElement, term: string) =>
    Array.from(page.querySelectorAll('dl > div'))
      .find((row) => row.querySelector('dt')?.textContent === term)
      ?.querySelector('dd')
      ?.textContent?.trim();

  it('shows the order number, product with its picture, quantity, total and time', async () => {
    const page = await render(held());
    expect(api.getOrder).toHaveBeenCalledWith('held-1');
    expect(page.querySelector('h1')?.textContent).toBe('Your order');
    expect(page.querySelector('h2')?.textContent).toBe('Midnight Hoodie');
    expect(page.querySelector('img')?.getAttribute('src')).toBe('/images/demo-hoodie.svg');
    expect(page.querySelector('img')?.getAttribute('alt')).toBe('');
    expect(detail(page, 'Order number')).toBe('held-1');
    expect(detail(page, 'Quantity')).toBe('2');
    expect(detail(page, 'Total')).toMatch(/98[.,]00/);
    expect(page.querySelector('time')?.getAttribute('datetime')).toBe('2030-01-01T10:05:00.000Z');
  });

  it('links the product to its own page (the drop), with the unit price beside the total', async () => {
    const page = await render(held());
    expect(page.querySelector('h2 a')?.getAttribute('href')).toBe('/p/demo-hoodie');
    expect(detail(page, 'Unit price')).toMatch(/49[.,]00/);
  });

  it('falls back to the sku and a neutral picture when the listing cannot be read', async () => {
    api.listProducts.mockRejectedValue(new ApiError(0, 'NETWORK', 'offline'));
    const page = await render(held());
    expect(page.querySelector('h2')?.textContent).toBe('demo-hoodie');
    expect(page.querySelector('img')?.getAttribute('src')).toBe(PLACEHOLDER_IMAGE);
  });

  it('while waiting for payment: the countdown on the server clock, Pay now and Cancel', async () => {
    const page = await render(held());
    expect(status(page)).toBe('Waiting for payment');
    expect(page.querySelector('app-hold-panel .held [aria-hidden="true"]')?.textContent).toBe(
      'Your 2 units are held for 4:59',
    );
    expect(page.querySelector('a.pay')?.getAttribute('href')).toBe('https://pay.test/session/1');
    expect(page.querySelector('app-hold-panel button')?.textContent?.trim()).toBe('Cancel the hold on Midnight Hoodie');

    now.set(NOW + 59_000);
    await fixture.whenStable();
    expect(page.querySelector('app-hold-panel .held [aria-hidden="true"]')?.textContent).toBe(
      'Your 2 units are held for 4:00',
    );
    // The status line, which screen readers hear, does not change with the seconds.
    expect(status(page)).toBe('Waiting for payment');
  });

  it("when a card was declined: says so with the provider's message, still pending, and still offers Pay now", async () => {
    const page = await render(held({ paymentError: 'Your card was declined.' }));
    expect(status(page)).toBe(
      'Payment declined: Your card was declined. Your order is still waiting for payment: try again.',
    );
    expect(page.querySelector('a.pay')).not.toBeNull();
    // Said once, in the status line, not again in the panel.
    expect(page.textContent?.match(/Your card was declined/g)).toHaveLength(1);
  });

  it('when the countdown reaches 0: says the hold ended and takes Pay now and Cancel away', async () => {
    const page = await render(held());
    now.set(HOLD_END);
    await fixture.whenStable();
    expect(status(page)).toBe('Hold ended: The 2 units are going back on sale.');
    expect(page.querySelector('app-hold-panel')).toBeNull();
    expect(page.querySelector('a.pay')).toBeNull();
  });

  it.each([
    ['paid', held({ status: 'CONFIRMED', checkoutUrl: undefined }), 'Paid'],
    ['instant (confirmed)', order({ orderId: 'instant-1' }), 'Confirmed'],
    [
      'expired',
      held({ status: 'EXPIRED', checkoutUrl: undefined }),
      'Hold expired: It was not paid in time; the 2 units went back on sale.',
    ],
    [
      'cancelled',
      held({ status: 'CANCELLED', checkoutUrl: undefined }),
      'Cancelled: You cancelled it before paying; the 2 units went back on sale.',
    ],
    [
      'refunded',
      held({
        status: 'REFUNDED',
        checkoutUrl: undefined,
        statusReason: 'Paid after the hold ended: refunded in full.',
      }),
      'Refunded: Paid after the hold ended: refunded in full.',
    ],
  ])('%s order: its status in words, without Pay now or Cancel', async (_name, ended, words) => {
    const page = await render(ended);
    expect(status(page)).toBe(words);
    expect(page.querySelector('app-hold-panel')).toBeNull();
    expect(page.querySelector('a.pay')).toBeNull();
    expect(page.querySelector('button')).toBeNull();
  });

  it('cancels through the API, then says Cancelled and moves focus to the status', async () => {
    const page = await render(held());
    const answer = deferred<Order>();
    api.cancelOrder.mockReturnValue(answer.promise);
    const button = page.querySelector('app-hold-panel button') as HTMLButtonElement;
    button.focus();

    button.click();
    await fixture.whenStable();
    expect(api.cancelOrder).toHaveBeenCalledWith('held-1');
    expect((page.querySelector('app-hold-panel button') as HTMLButtonElement).textContent?.trim()).toBe('Cancelling…');

    answer.resolve(held({ status: 'CANCELLED', checkoutUrl: undefined }));
    await fixture.whenStable();
    await fixture.whenStable();
    expect(status(page)).toMatch(/^Cancelled: /);
    expect(page.querySelector('app-hold-panel')).toBeNull();
    expect(document.activeElement).toBe(page.querySelector('[role="status"].status'));
  });

  it('says why a cancel was refused and shows what the order became', async () => {
    const page = await render(held());
    api.cancelOrder.mockRejectedValue(
      new ApiError(409, 'ORDER_NOT_CANCELLABLE', 'This order can no longer be cancelled: it was paid.'),
    );
    api.getOrder.mockResolvedValue(held({ status: 'CONFIRMED', checkoutUrl: undefined }));

    (page.querySelector('app-hold-panel button') as HTMLButtonElement).click();
    await fixture.whenStable();
    await fixture.whenStable();

    expect(status(page)).toBe('Paid');
    expect(page.querySelector('[role="alert"]')?.textContent).toBe(
      'This order can no longer be cancelled: it was paid.',
    );
  });

  it('says when the order does not exist (or is not this shopper’s)', async () => {
    const page = await render(new ApiError(404, 'ORDER_NOT_FOUND', 'That order could not be found.'));
    expect(page.querySelector('[role="alert"]')?.textContent).toContain('That order could not be found.');
    expect(page.querySelector('h1')?.textContent).toBe('Your order');
  });

  it('reads a waiting order again every few seconds, so it turns "Paid" when the webhook lands', async () => {
    jest.useFakeTimers({ doNotFake: ['queueMicrotask'] });
    const page = create(held());
    const settle = async (ms = 0) => {
      await jest.advanceTimersByTimeAsync(ms);
      fixture.detectChanges();
    };
    await settle();
    expect(status(page)).toBe('Waiting for payment');
    expect(api.getOrder).toHaveBeenCalledTimes(1);

    await settle(ORDER_POLL_MS);
    expect(api.getOrder).toHaveBeenCalledTimes(2);

    api.getOrder.mockResolvedValue(held({ status: 'CONFIRMED', checkoutUrl: undefined }));
    await settle(ORDER_POLL_MS);
    expect(status(page)).toBe('Paid');
    expect(page.querySelector('app-hold-panel')).toBeNull();

    await settle(10 * ORDER_POLL_MS);
    expect(api.getOrder).toHaveBeenCalledTimes(3);
  });
});
