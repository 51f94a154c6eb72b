import { TestBed } from '@angular/core/testing';
import { Title } from '@angular/platform-browser';
import { provideRouter } from '@angular/router';
import { Subject } from 'rxjs';
import { product } from '../../testing/fixtures';
import { fakeSession } from '../../testing/session';
import { ShopApi } from '../core/shop-api';
import { ProductPage } from './product-page';

describe('ProductPage', () => {
  const now = Date.now();
  const api = {
    staleViewRefusals: new Subject(),
    listProducts: jest.fn(),
    availability: jest.fn(),
    listOrders: jest.fn(),
  };

  async function render(sku: string, signedIn = false): Promise<HTMLElement> {
    api.listProducts.mockResolvedValue({
      products: [
        product({ saleStartsAt: new Date(now - 60_000).toISOString() }),
        product({ sku: 'demo-tote', name: 'Harbour Tote', saleStartsAt: new Date(now + 3_600_000).toISOString() }),
      ],
      asOf: new Date(now).toISOString(),
    });
    api.availability.mockResolvedValue({ products: [], serverTime: new Date(now).toISOString() });
    api.listOrders.mockReset().mockResolvedValue([]);
    TestBed.configureTestingModule({
      providers: [provideRouter([]), { provide: ShopApi, useValue: api }, fakeSession(signedIn)],
    });
    const fixture = TestBed.createComponent(ProductPage);
    fixture.componentRef.setInput('sku', sku);
    await fixture.whenStable();
    await new Promise((resolve) => setTimeout(resolve));
    await fixture.whenStable();
    return fixture.nativeElement as HTMLElement;
  }

  it("makes the product's name the page's heading, with its card, price and Buy, and names the tab after it", async () => {
    const page = await render('demo-hoodie');

    expect(page.querySelector('h1')?.textContent).toBe('Midnight Hoodie');
    expect(page.querySelectorAll('article[data-sku]')).toHaveLength(1);
    expect(page.querySelector('.price')?.textContent).toMatch(/49[.,]00/);
    expect(page.querySelector('app-purchase-form button[type="submit"]')).not.toBeNull();
    expect(TestBed.inject(Title).getTitle()).toBe('Midnight Hoodie · Flash sale');
  });

  it('shows the countdown of a drop still to come', async () => {
    const page = await render('demo-tote');

    expect(page.querySelector('h1')?.textContent).toBe('Harbour Tote');
    expect(page.querySelector('.countdown')?.textContent).toContain('Sale starts in');
  });

  it('says plainly that an unknown sku is not in the sale, with a way back', async () => {
    const page = await render('no-such-product');

    expect(page.querySelector('h1')?.textContent).toBe('This product is not in the sale');
    expect(page.querySelector('.not-found')?.textContent).toContain('no-such-product');
    expect(page.querySelector('.not-found a')?.getAttribute('href')).toBe('/');
  });

  it("reads a visitor's orders never, a shopper's once (for what they already bought)", async () => {
    await render('demo-hoodie', false);
    expect(api.listOrders).not.toHaveBeenCalled();

    TestBed.resetTestingModule();
    await render('demo-hoodie', true);
    expect(api.listOrders).toHaveBeenCalledTimes(1);
  });
});
