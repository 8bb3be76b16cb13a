import { Hono } from 'hono';
import { WEBHOOK_EVENT_TYPES } from '../../protocol/api/webhooks.js';
import { can } from '../auth/permissions.js';
import {
  type DashboardContext,
  type DashboardDeps,
  type DashboardEnv,
  userOf,
} from '../dashboard/dashboard-types.js';
import { Csrf, fmtTime, Layout } from '../dashboard/layout.js';
import { PostButton } from '../dashboard/post-button.js';
import { render } from '../dashboard/render.js';
import { GatekeeperError } from '../errors.js';
import type { OutboundPolicy } from './address-policy.js';
import {
  createWebhook,
  deleteWebhook,
  deliveriesOf,
  listWebhooksOf,
  loadEndpoint,
  redeliver,
  rotateWebhookSecret,
  sendTestEvent,
} from './service.js';

/** Events an owner can choose on the form (`webhook.test` is sent by its own button). */
const CHOOSABLE = WEBHOOK_EVENT_TYPES.filter((t) => t !== 'webhook.test');

const eventsOf = (json: string) => JSON.parse(json) as string[];

/**
 * The webhooks page (docs/integrations.md, "Endpoints"): owners list, add (the secret shown once),
 * rotate, remove and test endpoints, and read each one's delivery log with redelivery. Plain forms
 * through the same service as `/v1/webhooks`; no script needed.
 */
export function webhookPages(deps: DashboardDeps & { policy: OutboundPolicy }) {
  const app = new Hono<DashboardEnv>();
  const base = deps.basePath;
  app.use('/webhooks', ownerOnly);
  app.use('/webhooks/*', ownerOnly);
  const actor = (c: DashboardContext) => {
    const user = userOf(c);
    return { orgId: user.orgId, memberId: user.memberId };
  };

  const list = async (c: DashboardContext, shown?: { id: string; secret: string; verb: string }) => {
    const user = userOf(c);
    const endpoints = await listWebhooksOf(deps, user);
    return render(
      c,
      <Layout
        base={base}
        title="Webhooks"
        user={user}
        flash={shown ? { kind: 'info', text: `${shown.verb} ${shown.id}.` } : undefined}
      >
        {shown && (
          <div class="card">
            <p>Signing secret (shown only now; store it in the receiver):</p>
            <code class="token" id="webhook-secret">
              {shown.secret}
            </code>
          </div>
        )}
        <p>
          Signed per Standard Webhooks; retried with backoff for a day. Events and signing:
          docs/integrations.md.
        </p>
        <section class="table-wrap" tabindex={0} aria-label="Webhook endpoints">
          <table class="responsive">
            <thead>
              <tr>
                {['URL', 'Events', 'Description', 'Created', 'Actions'].map((h) => (
                  <th scope="col">{h}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {endpoints.map((e) => (
                <tr>
                  <td data-label="URL">
                    <a href={`${base}/webhooks/${encodeURIComponent(e.id)}`}>{e.url}</a>
                  </td>
                  <td data-label="Events">{eventsOf(e.events).join(', ')}</td>
                  <td data-label="Description">{e.description || '—'}</td>
                  <td data-label="Created">{fmtTime(e.createdAt)}</td>
                  <td data-label="Actions">
                    {(['test', 'rotate', 'delete'] as const).map((action) => (
                      <PostButton
                        user={user}
                        action={`${base}/webhooks/${encodeURIComponent(e.id)}/${action}`}
                        label={{ test: 'Send test event', rotate: 'Rotate secret', delete: 'Remove' }[action]}
                        target={e.url}
                        kind={action === 'delete' ? 'danger' : 'secondary'}
                      />
                    ))}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
        {endpoints.length === 0 && <p>No endpoints yet.</p>}
        <form class="card" method="post" action={`${base}/webhooks`}>
          <Csrf user={user} />
          <div>
            <label for="webhook-url">URL (https)</label>
            <input id="webhook-url" name="url" type="url" required maxlength={2000} />
          </div>
          <div>
            <label for="webhook-description">Description</label>
            <input id="webhook-description" name="description" maxlength={500} />
          </div>
          <fieldset>
            <legend>Events</legend>
            <label>
              <input type="checkbox" name="events" value="*" /> all (except completion.recorded, which is
              opt-in)
            </label>
            {CHOOSABLE.map((t) => (
              <label>
                <input type="checkbox" name="events" value={t} /> {t}
              </label>
            ))}
          </fieldset>
          <button type="submit">Add endpoint</button>
        </form>
      </Layout>,
    );
  };

  app.get('/webhooks', (c) => list(c));

  app.post('/webhooks', async (c) => {
    const body = await c.req.parseBody({ all: true });
    const events = [body.events ?? []].flat().filter((e): e is string => typeof e === 'string');
    const { row, secret } = await createWebhook(deps, actor(c), {
      url: typeof body.url === 'string' ? body.url.trim() : '',
      events,
      description: typeof body.description === 'string' ? body.description : '',
    });
    return list(c, { id: row.url, secret, verb: 'Added' });
  });

  app.post('/webhooks/:id/rotate', async (c) => {
    const { row, secret } = await rotateWebhookSecret(deps, actor(c), c.req.param('id'));
    return list(c, { id: row.url, secret, verb: 'New secret for' });
  });

  app.post('/webhooks/:id/delete', async (c) => {
    await deleteWebhook(deps, actor(c), c.req.param('id'));
    return c.redirect(`${base}/webhooks`, 303);
  });

  app.post('/webhooks/:id/test', async (c) => {
    const id = c.req.param('id');
    await sendTestEvent(deps, actor(c), id);
    return c.redirect(`${base}/webhooks/${encodeURIComponent(id)}`, 303);
  });

  app.post('/webhooks/:id/deliveries/:eventId/redeliver', async (c) => {
    const id = c.req.param('id');
    await redeliver(deps, actor(c), { id, eventId: c.req.param('eventId') });
    return c.redirect(`${base}/webhooks/${encodeURIComponent(id)}`, 303);
  });

  app.get('/webhooks/:id', async (c) => {
    const user = userOf(c);
    const endpoint = await loadEndpoint(deps, user, c.req.param('id'));
    const log = await deliveriesOf(deps, user, endpoint.id);
    const path = `${base}/webhooks/${encodeURIComponent(endpoint.id)}`;
    return render(
      c,
      <Layout base={base} title={`Deliveries to ${endpoint.url}`} user={user}>
        <p>
          The newest 100 deliveries; a pending one is retried at its next attempt.{' '}
          <a href={`${base}/webhooks`}>All endpoints</a>
        </p>
        <PostButton user={user} action={`${path}/test`} label="Send test event" target={endpoint.url} />
        <section class="table-wrap" tabindex={0} aria-label="Delivery log">
          <table class="responsive">
            <thead>
              <tr>
                {['Event', 'Status', 'Attempts', 'Response', 'Latency', 'Last error', 'Next retry', ''].map(
                  (h) => (
                    <th scope="col">{h}</th>
                  ),
                )}
              </tr>
            </thead>
            <tbody>
              {log.map((d) => (
                <tr>
                  <td data-label="Event">
                    {d.type} <code>{d.eventId}</code>
                  </td>
                  <td data-label="Status">{d.status}</td>
                  <td data-label="Attempts" class="count">
                    {d.attempts}
                  </td>
                  <td data-label="Response">{d.responseStatus ?? '—'}</td>
                  <td data-label="Latency">{d.latencyMs === null ? '—' : `${d.latencyMs} ms`}</td>
                  <td data-label="Last error">{d.lastError ?? '—'}</td>
                  <td data-label="Next retry">{d.status === 'pending' ? fmtTime(d.nextAttemptAt) : '—'}</td>
                  <td data-label="Actions">
                    <PostButton
                      user={user}
                      action={`${path}/deliveries/${encodeURIComponent(d.eventId)}/redeliver`}
                      label="Redeliver"
                      target={d.eventId}
                    />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
        {log.length === 0 && <p>Nothing sent yet.</p>}
      </Layout>,
    );
  });

  return app;
}

async function ownerOnly(c: DashboardContext, next: () => Promise<void>) {
  if (!can(userOf(c).role, 'webhooks:write'))
    throw new GatekeeperError('forbidden', 'Only owners may manage webhooks');
  await next();
}
