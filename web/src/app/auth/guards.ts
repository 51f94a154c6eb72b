import { inject } from '@angular/core';
import { Router, type CanActivateFn } from '@angular/router';
import { Session } from './session';

/** Pages for shoppers only: others go to sign-in, and come back here afterwards. */
export const signedInGuard: CanActivateFn = (_route, state) =>
  inject(Session).signedIn() || inject(Router).createUrlTree(['/sign-in'], { queryParams: { returnUrl: state.url } });

/** Sign-in and sign-up make no sense once signed in. */
export const signedOutGuard: CanActivateFn = () => !inject(Session).signedIn() || inject(Router).createUrlTree(['/']);
