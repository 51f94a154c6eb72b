import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { product } from '../../testing/fixtures';
import { ShopApi } from '../core/shop-api';
import type { Product } from '../core/shop-types';
import { OrderConfirmation } from './order-confirmation';
import { PLACEHOLDER_IMAGE, ProductCard } from './product-card';

const START = Date.parse('2030-01-01T10:00:00.000Z');

describe('ProductCard', () => {
  let fixture: ComponentFixture<ProductCard>;

  async function render(item: Product, now: number): Promise<HTMLElement> {
    TestBed.configureTestingModule({ providers: [{ provide: ShopApi, useValue: {} }, OrderConfirmation] });
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

  it('falls back to a neutral picture when the image fails to load', async () => {
    const card = await render(product({ imageUrl: '/images/missing.svg' }), START + 1);
    const image = card.querySelector('img') as HTMLImageElement;
    expect(image.getAttribute('alt')).toBe('Midnight Hoodie');

    image.dispatchEvent(new Event('error'));
    await fixture.whenStable();
    expect(image.getAttribute('src')).toBe(PLACEHOLDER_IMAGE);
  });
});
