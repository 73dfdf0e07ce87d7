const krw = new Intl.NumberFormat('ko-KR', { style: 'currency', currency: 'KRW' });
// Money in won the Korean way (₩150,000); dates in the language of the interface.
const dateTime = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short' });

export const formatKrw = (amount: number) => krw.format(amount);
export const formatDateTime = (iso: string) => dateTime.format(new Date(iso));
