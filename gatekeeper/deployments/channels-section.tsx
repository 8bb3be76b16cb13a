import type { ChannelView } from './channels.js';

/**
 * The course page's release channels (docs/deployments.md, "Channels"): each channel's deployment and
 * the licenses launching from it, then the pinned licenses. Changes go through the API and the CLI.
 */
export function ChannelsSection(props: {
  base: string;
  channels: ChannelView[];
  pinned: { id: string; clientName: string; deploymentId: string }[];
}) {
  const licenseLinks = (licenses: { id: string; clientName: string }[]) =>
    licenses.length === 0
      ? '—'
      : licenses.map((l, i) => (
          <>
            {i > 0 && ', '}
            <a href={`${props.base}/licenses/${encodeURIComponent(l.id)}`}>{l.clientName}</a>
          </>
        ));
  const rows = [
    ...props.channels.map((c) => ({ name: c.name, deploymentId: c.deploymentId, licenses: c.licenses })),
    ...props.pinned.map((l) => ({ name: 'pinned', deploymentId: l.deploymentId, licenses: [l] })),
  ];
  return (
    <>
      <h2>Channels</h2>
      <section class="table-wrap" tabindex={0} aria-label="Channels">
        <table class="responsive" id="channels">
          <thead>
            <tr>
              <th scope="col">Channel</th>
              <th scope="col">Deployment</th>
              <th scope="col">Licenses</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr>
                <td data-label="Channel">{r.name}</td>
                <td data-label="Deployment">
                  {r.deploymentId ? <code>{r.deploymentId}</code> : 'nothing yet'}
                </td>
                <td data-label="Licenses">{licenseLinks(r.licenses)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </>
  );
}
