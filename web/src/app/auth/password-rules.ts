import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import { passwordRules } from '@flash-sale/services/contract';

/**
 * The user pool's password rules under a new-password field, each ticked off as the shopper types.
 * The field points here with aria-describedby, so screen readers read the rules with the field.
 */
@Component({
  selector: 'app-password-rules',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <ul class="rules" [id]="listId()">
      @for (rule of rules(); track rule.text) {
        <li [class.met]="rule.met">
          <span aria-hidden="true">{{ rule.met ? '✓' : '•' }}</span>
          {{ rule.text }}<span class="visually-hidden">{{ rule.met ? ' (done)' : ' (not yet)' }}</span>
        </li>
      }
    </ul>
  `,
  styles: `
    .rules {
      margin: -0.3rem 0 0.6rem;
      padding: 0;
      list-style: none;
      font-size: 0.85rem;
      color: var(--muted);
    }
    .rules li.met {
      color: var(--success);
    }
    .rules span[aria-hidden] {
      display: inline-block;
      width: 1.1em;
    }
  `,
})
export class PasswordRules {
  readonly password = input.required<string>();
  readonly listId = input.required<string>();
  protected readonly rules = computed(() => passwordRules(this.password()));
}
