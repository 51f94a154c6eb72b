import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { order, product } from '../../testing/fixtures';
import { ShopApi } from '../core/shop-api';
import type { Order, Product } from '../core/shop-types';
import { PLACEHOLDER_IMAGE, ProductCard } from './product-card';
import { PurchaseOutcomes } from './purchase-outcomes';
import { ShopperOrders } from './shopper-orders';

const START = Date.parse('2030-01-01T10:00:00.000Z');

describe('ProductCard', () => {
  let fixture: ComponentFixture<ProductCard>;
  let outcomes: PurchaseOutcomes;

  async function render(item: Product, now: number, bought: Order[] = []): Promise<HTMLElement> {
    TestBed.configureTestingModule({
      providers: [provideRouter([]), { provide: ShopApi, useValue: {} }, PurchaseOutcomes, ShopperOrders],
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
    outcomes.confirm(order({ quantity: 1 }));
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
    outcomes.confirm(order());
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
});
