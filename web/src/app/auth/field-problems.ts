import type { AbstractControl, ValidatorFn } from '@angular/forms';
import { passwordAccepted } from '@flash-sale/services/contract';

/** Messages per validator key, shown under the field that failed. */
export type ProblemMessages = Readonly<Record<string, string>>;

export const EMAIL_PROBLEMS: ProblemMessages = {
  required: 'Enter your email address.',
  email: 'Enter a valid email address, like name@example.com.',
};
export const CODE_PROBLEMS: ProblemMessages = {
  required: 'Enter the code from the e-mail.',
  pattern: 'Enter the code from the e-mail: digits only.',
};
export const NEW_PASSWORD_PROBLEMS: ProblemMessages = {
  required: 'Choose a password.',
  passwordPolicy: 'This password does not meet every rule listed below it yet.',
};

/** A code as Cognito e-mails it: digits, with spaces around forgiven. */
export const CODE_PATTERN = /^\s*\d+\s*$/;

/**
 * The message to show under a field once the shopper has left it or tried to submit, or undefined
 * while there is nothing to say. Shown as text, tied to the field with aria-describedby and
 * aria-invalid in the templates.
 */
export function fieldProblem(control: AbstractControl, messages: ProblemMessages): string | undefined {
  if (!control.invalid || !control.touched) return undefined;
  const key = Object.keys(control.errors ?? {})[0];
  return key === undefined ? undefined : (messages[key] ?? 'Please check this field.');
}

/** The user pool's own password policy (services/src/domain/password-policy.ts), checked in the form. */
export const poolPasswordValidator: ValidatorFn = (control) =>
  typeof control.value !== 'string' || control.value === '' || passwordAccepted(control.value)
    ? null
    : { passwordPolicy: true };

/** Focuses the first field that has a problem, after a submit that could not go ahead. */
export function focusFirstProblem(form: HTMLFormElement | null | undefined): void {
  form?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
}
