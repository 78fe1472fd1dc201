/** A title as a URL path segment: `sony-wh-1000xm5-wireless-…`, as shops put one in their listing URLs. */
export const slug = (title: string): string =>
  title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
