import { TestBed } from '@angular/core/testing';
import { Router } from '@angular/router';

/** Records the component's navigations instead of performing them: `[url]` or `[commands, extras]`. */
export function recordNavigations(): unknown[][] {
  const navigations: unknown[][] = [];
  const router = TestBed.inject(Router);
  jest.spyOn(router, 'navigateByUrl').mockImplementation(async (url) => navigations.push([url]) > 0);
  jest
    .spyOn(router, 'navigate')
    .mockImplementation(async (commands, extras) => navigations.push([commands, extras]) > 0);
  return navigations;
}
