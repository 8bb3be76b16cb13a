/**
 * The license picker of the dashboard: a search box (client name prefix or license id), never a list
 * of every license, which runs to thousands. A plain GET form field, so it works without JavaScript.
 */
export const LicenseSearch = (props: {
  id: string;
  name: string;
  label: string;
  value: string | undefined;
}) => (
  <div>
    <label for={props.id}>{props.label}</label>
    <input
      id={props.id}
      name={props.name}
      type="search"
      value={props.value ?? ''}
      placeholder="Client name or license id"
    />
  </div>
);
