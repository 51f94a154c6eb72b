import { TestBed } from '@angular/core/testing';
import { fakeSession } from '../../testing/session';
import { provideRouter } from '@angular/router';
import { Subject } from 'rxjs';
import { order, product } from '../../testing/fixtures';
import { ShopApi } from '../core/shop-api';
import { SalePage } from './sale-page';

describe('SalePage', () => {
  it('finds a held order again on load and shows it on its card, counting down', async () => {
    const now = Date.now();
    const api = {
      staleViewRefusals: new Subject(),
      listProducts: jest.fn().mockResolvedValue({
        products: [
          product({ checkout: 'payment', saleStartsAt: new Date(now - 60_000).toISOString() }),
          product({ sku: 'demo-tote', name: 'Canvas Tote', saleStartsAt: new Date(now - 60_000).toISOString() }),
        ],
        asOf: new Date(now).toISOString(),
      }),
      availability: jest.fn().mockResolvedValue({ products: [], serverTime: new Date(now).toISOString() }),
      listOrders: jest.fn().mockResolvedValue([
        order({ orderId: 'older', sku: 'demo-tote', createdAt: new Date(now - 90_000).toISOString() }),
        order({
          orderId: 'held-1',
          status: 'PENDING_PAYMENT',
          createdAt: new Date(now - 30_000).toISOString(),
          holdExpiresAt: new Date(now + 150_000).toISOString(),
          checkoutUrl: 'https://pay.test/session/1',
        }),
      ]),
    };
    TestBed.configureTestingModule({
      providers: [provideRouter([]), { provide: ShopApi, useValue: api }, fakeSession()],
    });
    const fixture = TestBed.createComponent(SalePage);
    await fixture.whenStable();
    await new Promise((resolve) => setTimeout(resolve));
    await fixture.whenStable();
    const page = fixture.nativeElement as HTMLElement;

    const hoodie = page.querySelector('[data-sku="demo-hoodie"]') as HTMLElement;
    expect(hoodie.querySelector('app-hold-panel .held [aria-hidden="true"]')?.textContent).toMatch(
      /^Your 1 unit is held for 2:(30|29)$/,
    );
    expect(hoodie.querySelector('a.pay')?.getAttribute('href')).toBe('https://pay.test/session/1');
    // An instant product's old order is counted, not announced again.
    const tote = page.querySelector('[data-sku="demo-tote"]') as HTMLElement;
    expect(tote.querySelector('.bought')?.textContent).toBe('You bought 1 of 2');
    expect(tote.querySelector('.confirmation')).toBeNull();
    fixture.destroy();
  });

  it('shows a visitor the sale from the listing the API gives them, and reads no orders (they have none)', async () => {
    const now = Date.now();
    const api = {
      staleViewRefusals: new Subject(),
      listProducts: jest.fn().mockResolvedValue({
        products: [product({ saleStartsAt: new Date(now - 60_000).toISOString() })],
        asOf: new Date(now).toISOString(),
      }),
      availability: jest.fn().mockResolvedValue({ products: [], serverTime: new Date(now).toISOString() }),
      listOrders: jest.fn().mockRejectedValue(new Error('must not be called for a visitor')),
    };
    TestBed.configureTestingModule({
      providers: [provideRouter([]), { provide: ShopApi, useValue: api }, fakeSession(false)],
    });
    const fixture = TestBed.createComponent(SalePage);
    await fixture.whenStable();
    const page = fixture.nativeElement as HTMLElement;

    expect(page.querySelector('[data-sku="demo-hoodie"] h2')?.textContent).toBe('Midnight Hoodie');
    expect(page.querySelector('[data-sku="demo-hoodie"] h2 a')?.getAttribute('href')).toBe('/p/demo-hoodie');
    expect(page.querySelector('.visitor')?.textContent).toContain('you sign in only to buy or join a line');
    expect(api.listOrders).not.toHaveBeenCalled();
  });
});
