import { signal, type Provider } from '@angular/core';
import { Session } from '../app/auth/session';

/** A session that is (or is not) signed in, for components that only ask whether it is. */
export function fakeSession(signedIn = true): Provider {
  return { provide: Session, useValue: { signedIn: signal(signedIn) } };
}
