import type { AppConfig } from '../app/core/config';
import type { Order, Product } from '../app/core/shop-types';

export const TEST_CONFIG: AppConfig = {
  apiUrl: 'http://api.test',
  region: 'eu-west-1',
  userPoolId: 'eu-west-1_pool',
  userPoolClientId: 'client-1',
  cognitoEndpoint: 'http://cognito.test/',
};

/** An unsigned JWT with the claims the app reads; the browser never checks signatures. */
export function fakeJwt(claims: { sub: string; exp: number }): string {
  const encode = (value: object) =>
    btoa(JSON.stringify(value)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  return `${encode({ alg: 'none' })}.${encode(claims)}.signature`;
}

export function product(overrides: Partial<Product> = {}): Product {
  return {
    sku: 'demo-hoodie',
    name: 'Midnight Hoodie',
    description: 'Heavyweight hoodie.',
    imageUrl: '/images/demo-hoodie.svg',
    priceCents: 4900,
    currency: 'EUR',
    saleStartsAt: '2030-01-01T10:00:00.000Z',
    saleEndsAt: '2030-01-08T10:00:00.000Z',
    perCustomerLimit: 2,
    available: 50,
    soldOut: false,
    loadedUnits: 50,
    waitingRoom: false,
    checkout: 'instant',
    holdSeconds: 300,
    ...overrides,
  };
}

export function order(overrides: Partial<Order> = {}): Order {
  return {
    orderId: 'order-1',
    sku: 'demo-hoodie',
    quantity: 1,
    priceCents: 4900,
    totalCents: 4900,
    currency: 'EUR',
    createdAt: '2030-01-01T10:05:00.000Z',
    status: 'CONFIRMED',
    ...overrides,
  };
}

/** A promise whose outcome the test decides, to look at the app while a call is in flight. */
export function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void; reject: (error: unknown) => void } {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}
