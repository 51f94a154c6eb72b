import type { Routes } from '@angular/router';
import { signedInGuard, signedOutGuard } from './auth/guards';

/** Each page is its own lazy chunk, so the first load carries only the shell. */
export const routes: Routes = [
  {
    path: '',
    pathMatch: 'full',
    title: 'Flash sale',
    // Open to visitors: the drop is seen before signing in (from the public catalog).
    loadComponent: () => import('./sale/sale-page').then((m) => m.SalePage),
  },
  {
    // A product's shareable page: a landing page for its drop, open to visitors too.
    path: 'p/:sku',
    title: 'Flash sale',
    loadComponent: () => import('./product/product-page').then((m) => m.ProductPage),
  },
  {
    path: 'orders',
    title: 'My orders · Flash sale',
    canActivate: [signedInGuard],
    loadComponent: () => import('./orders/orders-page').then((m) => m.OrdersPage),
  },
  {
    // Where the payment page sends the shopper back.
    path: 'orders/:orderId',
    title: 'Your order · Flash sale',
    canActivate: [signedInGuard],
    loadComponent: () => import('./orders/order-page').then((m) => m.OrderPage),
  },
  {
    path: 'sign-in',
    title: 'Sign in · Flash sale',
    canActivate: [signedOutGuard],
    loadComponent: () => import('./auth/sign-in').then((m) => m.SignIn),
  },
  {
    path: 'sign-up',
    title: 'Create an account · Flash sale',
    canActivate: [signedOutGuard],
    loadComponent: () => import('./auth/sign-up').then((m) => m.SignUp),
  },
  {
    path: 'forgot-password',
    title: 'Reset your password · Flash sale',
    canActivate: [signedOutGuard],
    loadComponent: () => import('./auth/forgot-password').then((m) => m.ForgotPassword),
  },
  { path: '**', redirectTo: '' },
];
