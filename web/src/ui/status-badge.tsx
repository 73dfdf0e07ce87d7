const labels: Record<string, string> = {
  ON_SALE: 'On sale',
  SOLD: 'Sold',
  DELETED: 'Deleted',
  PAID: 'Paid',
  CANCELLED: 'Cancelled',
  REFUNDED: 'Refunded',
  COMPLETED: 'Completed',
};

/** A product's or a deal's status; `data-status` carries the API's value. */
export function StatusBadge({ status }: { status: string }) {
  return (
    <span className={`badge badge--${status.toLowerCase().replace('_', '-')}`} data-status={status}>
      {labels[status] ?? status}
    </span>
  );
}
