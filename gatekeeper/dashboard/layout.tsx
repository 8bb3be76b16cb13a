import type { Child } from 'hono/jsx';
import type { DashboardUser } from './dashboard-types.js';

/** The page frame: skip link, navigation (owner-only links only for owners), sign-out form. */
export function Layout(props: {
  base: string;
  title: string;
  user?: DashboardUser | undefined;
  flash?: { kind: 'error' | 'info'; text: string } | undefined;
  children?: Child;
}) {
  const { base, user } = props;
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${props.title} · Coursegate`}</title>
        <link rel="icon" type="image/svg+xml" href={`${base}/static/favicon.svg`} />
        <link rel="stylesheet" href={`${base}/static/dashboard.css`} />
        <script src={`${base}/static/dashboard.js`} defer />
      </head>
      <body>
        <a class="skip" href="#main">
          Skip to content
        </a>
        <header class="top">
          <a class="brand" href={base}>
            Coursegate
          </a>
          {user && (
            <nav aria-label="Main">
              <ul>
                <li>
                  <a href={base}>Courses</a>
                </li>
                <li>
                  <a href={`${base}/licenses`}>Licenses</a>
                </li>
                <li>
                  <a href={`${base}/launches`}>Launches</a>
                </li>
                <li>
                  <a href={`${base}/errors`}>Errors</a>
                </li>
                <li>
                  <a href={`${base}/completions`}>Completions</a>
                </li>
                <li>
                  <a href={`${base}/audit`}>Audit</a>
                </li>
                {user.role === 'owner' && (
                  <li>
                    <a href={`${base}/members`}>Members &amp; keys</a>
                  </li>
                )}
                {user.role === 'owner' && (
                  <li>
                    <a href={`${base}/webhooks`}>Webhooks</a>
                  </li>
                )}
                <li>
                  <a href={`${base}/account`}>Account</a>
                </li>
              </ul>
            </nav>
          )}
          {user && (
            <form method="post" action={`${base}/logout`}>
              <input type="hidden" name="_csrf" value={user.csrfToken} />
              <button type="submit">Sign out</button>
            </form>
          )}
        </header>
        <main id="main">
          <h1>{props.title}</h1>
          {props.flash && (
            <p class={`flash ${props.flash.kind}`} role={props.flash.kind === 'error' ? 'alert' : 'status'}>
              {props.flash.text}
            </p>
          )}
          {props.children}
        </main>
      </body>
    </html>
  );
}

/** The hidden CSRF field every form carries. */
export function Csrf(props: { user: DashboardUser }) {
  return <input type="hidden" name="_csrf" value={props.user.csrfToken} />;
}

export const fmtTime = (ms: number | null | undefined) =>
  ms === null || ms === undefined ? '—' : new Date(ms).toISOString().replace('T', ' ').slice(0, 16);
