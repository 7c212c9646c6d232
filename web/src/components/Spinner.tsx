/** A loading indicator that also tells screen readers what is loading. */
export const Spinner = ({ label }: { label: string }) => (
  <div className="spinner" role="status">
    <span className="spinner__ring" aria-hidden="true" />
    <span className="visually-hidden">{label}</span>
  </div>
);
