import { inject } from '@angular/core';
import { Router, type CanActivateFn } from '@angular/router';
import { returnParams, safeReturnUrl } from './return-url';
import { Session } from './session';

/** Pages for shoppers only (their orders): others go to sign-in, and come back here afterwards. */
export const signedInGuard: CanActivateFn = (_route, state) =>
  inject(Session).signedIn() || inject(Router).createUrlTree(['/sign-in'], { queryParams: returnParams(state.url) });

/** Sign-in and sign-up make no sense once signed in: straight on to where the shopper was going. */
export const signedOutGuard: CanActivateFn = (route) =>
  !inject(Session).signedIn() || inject(Router).parseUrl(safeReturnUrl(route.queryParamMap.get('returnUrl')));
