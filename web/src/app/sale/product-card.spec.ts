import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { fakeSession } from '../../testing/session';
import { provideRouter } from '@angular/router';
import { order, product } from '../../testing/fixtures';
import { ApiError } from '../core/api-error';
import { ShopApi } from '../core/shop-api';
import type { Order, Product } from '../core/shop-types';
import { ProductCard } from './product-card';
import { PurchaseOutcomes } from './purchase-outcomes';
import { PLACEHOLDER_IMAGE } from './sale-format';
import { ShopperOrders } from './shopper-orders';

const START = Date.parse('2030-01-01T10:00:00.000Z');

describe('ProductCard', () => {
  let fixture: ComponentFixture<ProductCard>;
  let outcomes: PurchaseOutcomes;

  const api = { purchase: jest.fn(), getOrder: jest.fn(), cancelOrder: jest.fn(), availability: jest.fn() };

  beforeEach(() => {
    for (const call of Object.values(api)) call.mockReset();
    api.availability.mockResolvedValue({ products: [], serverTime: new Date(START).toISOString() });
  });

  afterEach(() => (fixture?.nativeElement as HTMLElement | undefined)?.remove());

  async function render(item: Product, now: number, bought: Order[] = [], signedIn = true): Promise<HTMLElement> {
    TestBed.configureTestingModule({
      providers: [
        provideRouter([]),
        { provide: ShopApi, useValue: api },
        PurchaseOutcomes,
        ShopperOrders,
        fakeSession(signedIn),
      ],
    });
    outcomes = TestBed.inject(PurchaseOutcomes);
    TestBed.inject(ShopperOrders).add(...bought);
    fixture = TestBed.createComponent(ProductCard);
    fixture.componentRef.setInput('product', item);
    fixture.componentRef.setInput('now', now);
    await fixture.whenStable();
    return fixture.nativeElement as HTMLElement;
  }

  it('shows name, formatted price and a countdown that follows the clock before the sale', async () => {
    const card = await render(product(), START - 65_000);
    expect(card.querySelector('h2')?.textContent).toBe('Midnight Hoodie');
    expect(card.querySelector('.price')?.textContent).toMatch(/49[.,]00/);
    expect(card.querySelector('.countdown .time')?.textContent).toBe('01:05');
    expect(card.querySelector('app-purchase-form')).toBeNull();

    fixture.componentRef.setInput('now', START - 5_000);
    await fixture.whenStable();
    expect(card.querySelector('.countdown .time')?.textContent).toBe('00:05');
  });

  it('opens the buy form when the countdown reaches zero', async () => {
    const card = await render(product(), START - 1_000);
    fixture.componentRef.setInput('now', START);
    await fixture.whenStable();
    expect(card.querySelector('.countdown')).toBeNull();
    expect(card.querySelector('app-purchase-form')).not.toBeNull();
  });

  it('shows units left as a number and a bar of available out of loaded', async () => {
    const card = await render(product({ available: 25, loadedUnits: 100 }), START + 1);
    expect(card.querySelector('.units')?.textContent).toContain('25 left');
    expect((card.querySelector('.bar span') as HTMLElement).style.width).toBe('25%');
  });

  it('marks sold out and ended products, without a buy form', async () => {
    let card = await render(product({ available: 0, soldOut: true }), START + 1);
    expect(card.querySelector('.badge')?.textContent).toBe('Sold out');
    expect(card.querySelector('app-purchase-form')).toBeNull();

    TestBed.resetTestingModule();
    card = await render(product(), Date.parse('2030-01-08T10:00:00.000Z'));
    expect(card.querySelector('.badge')?.textContent).toBe('Sale ended');
    expect(card.querySelector('app-purchase-form')).toBeNull();
  });

  it('shows "You bought 2 of 2" once the shopper has the limit, instead of the limit notice', async () => {
    let card = await render(product(), START + 1);
    expect(card.querySelector('.limit')?.textContent).toBe('Limit 2 per customer');

    TestBed.resetTestingModule();
    card = await render(product(), START + 1, [order({ orderId: 'a', quantity: 2 })]);
    expect(card.querySelector('.bought')?.textContent).toBe('You bought 2 of 2');
    expect(card.querySelector('.limit')).toBeNull();
    expect((card.querySelector('app-purchase-form button') as HTMLButtonElement).disabled).toBe(true);
  });

  it('shows one message, the latest: a refusal replaces the confirmation', async () => {
    const card = await render(product(), START + 1);
    outcomes.ordered(order({ quantity: 1 }));
    await fixture.whenStable();
    expect(card.querySelector('[role="status"] h3')?.textContent).toBe('Order confirmed');
    expect(card.querySelector('.confirmation')?.textContent).toContain('1 × Midnight Hoodie, total');
    expect(document.activeElement).toBe(card.querySelector('.confirmation'));

    outcomes.refuse('demo-hoodie', 'Limit reached: each customer can buy at most 2 of this product.');
    await fixture.whenStable();
    expect(card.querySelector('.confirmation')).toBeNull();
    expect(card.querySelectorAll('[role="alert"]')).toHaveLength(1);
  });

  it('keeps its confirmation when the product sells out and the buy form goes', async () => {
    const card = await render(product(), START + 1);
    outcomes.ordered(order());
    fixture.componentRef.setInput('product', product({ available: 0, soldOut: true }));
    await fixture.whenStable();
    expect(card.querySelector('app-purchase-form')).toBeNull();
    expect(card.querySelector('.confirmation h3')?.textContent).toBe('Order confirmed');
  });

  it('leaves the picture out of what screen readers say: the heading names the product', async () => {
    const card = await render(product(), START + 1);
    expect(card.querySelector('img')?.getAttribute('alt')).toBe('');
  });

  it('falls back to a neutral picture when the image fails to load', async () => {
    const card = await render(product({ imageUrl: '/images/missing.svg' }), START + 1);
    const image = card.querySelector('img') as HTMLImageElement;

    image.dispatchEvent(new Event('error'));
    await fixture.whenStable();
    expect(image.getAttribute('src')).toBe(PLACEHOLDER_IMAGE);
  });

  describe('with checkout by payment', () => {
    const OPEN = START + 60_000;
    const HOLD_END = OPEN + 300_000;
    const payment = (overrides: Partial<Product> = {}) => product({ checkout: 'payment', ...overrides });
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
    const shown = (card: HTMLElement) => card.querySelector('app-hold-panel .held [aria-hidden="true"]')?.textContent;

    async function buyTwo(card: HTMLElement): Promise<void> {
      api.purchase.mockResolvedValue(held());
      const select = card.querySelector('select') as HTMLSelectElement;
      select.value = '2';
      select.dispatchEvent(new Event('change'));
      (card.querySelector('app-purchase-form button') as HTMLButtonElement).click();
      await fixture.whenStable();
    }

    async function at(now: number): Promise<void> {
      fixture.componentRef.setInput('now', now);
      await fixture.whenStable();
    }

    it('after Buy, says the units are held with a countdown, Pay now and Cancel, instead of "Order confirmed"', async () => {
      const card = await render(payment(), OPEN);
      document.body.appendChild(card);
      await buyTwo(card);

      expect(shown(card)).toBe('Your 2 units are held for 5:00');
      expect(card.querySelector('.confirmation')).toBeNull();
      expect(card.querySelector('a.pay')?.getAttribute('href')).toBe('https://pay.test/session/1');
      expect(card.querySelector('app-hold-panel button')?.textContent?.trim()).toBe(
        'Cancel the hold on Midnight Hoodie',
      );
      expect(document.activeElement).toBe(card.querySelector('app-hold-panel'));
      expect(card.querySelector('.bought')?.textContent).toBe('You have 2 of 2 on hold');
      expect((card.querySelector('app-purchase-form button') as HTMLButtonElement).disabled).toBe(true);

      await at(OPEN + 1_000);
      expect(shown(card)).toBe('Your 2 units are held for 4:59');
    });

    it('says the hold ended when the countdown reaches 0', async () => {
      const card = await render(payment(), OPEN);
      await buyTwo(card);
      await at(HOLD_END - 1);
      expect(shown(card)).toBe('Your 2 units are held for 0:01');

      await at(HOLD_END);
      expect(card.querySelector('app-hold-panel [role="status"]')?.textContent).toBe(
        'The hold on your 2 units has ended: they go back on sale.',
      );
      expect(card.querySelector('a.pay')).toBeNull();
    });

    it('cancels through the API, then says it was cancelled and offers the units again', async () => {
      const card = await render(payment(), OPEN);
      document.body.appendChild(card);
      await buyTwo(card);
      const changes = outcomes.stockChanges();
      api.cancelOrder.mockResolvedValue(held({ status: 'CANCELLED', checkoutUrl: undefined }));

      (card.querySelector('app-hold-panel button') as HTMLButtonElement).click();
      await fixture.whenStable();

      expect(api.cancelOrder).toHaveBeenCalledWith('held-1');
      expect(card.querySelector('app-hold-panel')).toBeNull();
      const message = card.querySelector('.order-ended') as HTMLElement;
      expect(message.getAttribute('role')).toBe('status');
      expect(message.querySelector('h3')?.textContent).toBe('Cancelled');
      expect(message.textContent).toContain('the 2 units went back on sale');
      expect(message.querySelector('a')?.getAttribute('href')).toBe('/orders/held-1');
      expect(document.activeElement).toBe(message);
      // The allowance is back, and the page is asked for fresh availability.
      expect(card.querySelector('.bought')).toBeNull();
      expect(card.querySelector('.limit')?.textContent).toBe('Limit 2 per customer');
      expect((card.querySelector('app-purchase-form button') as HTMLButtonElement).disabled).toBe(false);
      expect(outcomes.stockChanges()).toBeGreaterThan(changes);
    });

    it('keeps the hold and says why when the shop refuses the cancel', async () => {
      const card = await render(payment(), OPEN);
      await buyTwo(card);
      api.cancelOrder.mockRejectedValue(new ApiError(0, 'NETWORK', 'Could not reach the shop.'));
      api.getOrder.mockRejectedValue(new ApiError(0, 'NETWORK', 'Could not reach the shop.'));

      (card.querySelector('app-hold-panel button') as HTMLButtonElement).click();
      await fixture.whenStable();

      expect(shown(card)).toBe('Your 2 units are held for 5:00');
      expect(card.querySelector('app-hold-panel [role="alert"]')?.textContent).toBe('Could not reach the shop.');
    });

    it('shows a held order found when the page loaded, without taking focus', async () => {
      const card = await render(payment(), OPEN + 1_000, [held()]);
      document.body.appendChild(card);
      const before = document.activeElement;
      outcomes.resume(held());
      await fixture.whenStable();

      expect(shown(card)).toBe('Your 2 units are held for 4:59');
      expect(document.activeElement).toBe(before);
    });

    it("turns into the confirmation once it is paid, and says a declined card's message meanwhile", async () => {
      const card = await render(payment(), OPEN, [held()]);
      outcomes.resume(held());
      TestBed.inject(ShopperOrders).add(held({ paymentError: 'Your card was declined.' }));
      await fixture.whenStable();
      expect(card.querySelector('app-hold-panel [role="alert"]')?.textContent).toContain(
        'Payment declined: Your card was declined.',
      );

      TestBed.inject(ShopperOrders).add(held({ status: 'CONFIRMED', checkoutUrl: undefined }));
      await fixture.whenStable();
      expect(card.querySelector('app-hold-panel')).toBeNull();
      expect(card.querySelector('.confirmation h3')?.textContent).toBe('Order confirmed');
      expect(card.querySelector('.confirmation')?.textContent).toContain('Paid: 2 × Midnight Hoodie');
      expect(card.querySelector('.confirmation a')?.getAttribute('href')).toBe('/orders/held-1');
      expect(card.querySelector('.bought')?.textContent).toBe('You bought 2 of 2');
    });

    it('says the hold expired once the shop has returned it, and asks for fresh availability', async () => {
      const card = await render(payment(), OPEN);
      await buyTwo(card);
      const changes = outcomes.stockChanges();

      // What the card's follower stores when it reads the order after the hold's end.
      TestBed.inject(ShopperOrders).add(held({ status: 'EXPIRED', checkoutUrl: undefined }));
      await at(HOLD_END + 3_000);

      expect(card.querySelector('.order-ended h3')?.textContent).toBe('Hold expired');
      expect(card.querySelector('.order-ended')?.textContent).toContain('It was not paid in time');
      expect(card.querySelector('.bought')).toBeNull();
      expect(outcomes.stockChanges()).toBe(changes + 1);
    });
  });

  it("asks a visitor to sign in to join a waiting room's line, and joins nothing on its own", async () => {
    const now = Date.now();
    const page = await render(
      product({ waitingRoom: true, saleStartsAt: new Date(now + 600_000).toISOString() }),
      now,
      [],
      false,
    );

    expect(page.querySelector('app-waiting-room')).toBeNull();
    expect(page.querySelector('button.join')?.textContent).toBe('Sign in to join the line');
  });

  it("links the product's name to its own page, unless it is that page's heading", async () => {
    const now = Date.now();
    const page = await render(product(), now);
    expect(page.querySelector('h2 a')?.getAttribute('href')).toBe('/p/demo-hoodie');

    fixture.componentRef.setInput('lead', true);
    await fixture.whenStable();
    expect(page.querySelector('h1')?.textContent).toBe('Midnight Hoodie');
    expect(page.querySelector('h2')).toBeNull();
  });
});
