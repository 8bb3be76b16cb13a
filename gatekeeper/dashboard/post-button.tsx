import type { Child } from 'hono/jsx';
import type { DashboardUser } from './dashboard-types.js';
import { Csrf } from './layout.js';

/**
 * One action as a form of its own: a POST with the CSRF field and one button, so it works without
 * script. `label` names the button; `target` (screen readers only) says what it acts on.
 */
export function PostButton(props: {
  user: DashboardUser;
  action: string;
  label: string;
  target: Child;
  kind?: 'secondary' | 'danger';
}) {
  return (
    <form class="inline" method="post" action={props.action}>
      <Csrf user={props.user} />
      <button type="submit" class={props.kind ?? 'secondary'}>
        {props.label} <span class="sr-only">{props.target}</span>
      </button>
    </form>
  );
}
