import { Injector, afterNextRender, signal } from '@angular/core';
import type { AbstractControl } from '@angular/forms';
import { RuntimeConfig } from '../core/config';
import { focusMainHeading } from '../core/focus';
import { authErrorMessage, codeInbox, type AuthOperation, type CodeInbox } from './auth-messages';
import { focusFirstProblem } from './field-problems';

/**
 * What every account form does alike: one Cognito call at a time with a busy flag, its refusal in
 * plain words, a notice for what went right, field problems shown and focused on a blocked submit,
 * and the heading focused when the form moves to its next step.
 */
export class AuthFormState {
  readonly busy = signal(false);
  readonly problem = signal<string | undefined>(undefined);
  readonly notice = signal<string | undefined>(undefined);
  /** Where this stack's codes reach the shopper, for the pages and messages that speak of a code. */
  readonly inbox: CodeInbox;

  constructor(
    private readonly injector: Injector,
    private readonly formElement: () => HTMLFormElement | undefined,
  ) {
    let endpoint = '';
    try {
      endpoint = injector.get(RuntimeConfig).value.cognitoEndpoint;
    } catch {
      // No configuration yet: the shell says so; the account pages then speak of e-mail, as in AWS.
    }
    this.inbox = codeInbox(endpoint);
  }

  async run(operation: AuthOperation, work: () => Promise<void>): Promise<void> {
    this.busy.set(true);
    this.problem.set(undefined);
    this.notice.set(undefined);
    try {
      await work();
    } catch (error) {
      this.problem.set(authErrorMessage(error, operation, this.inbox));
    } finally {
      this.busy.set(false);
    }
  }

  /** A submit with invalid fields: show each field's message and take the shopper to the first. */
  showProblems(control: AbstractControl): void {
    control.markAllAsTouched();
    this.problem.set(undefined);
    afterNextRender(() => focusFirstProblem(this.formElement()), { injector: this.injector });
  }

  /** A new step is a new page to the shopper: focus its heading once it is on screen. */
  focusHeadingAfterRender(): void {
    afterNextRender(() => focusMainHeading(), { injector: this.injector });
  }
}
