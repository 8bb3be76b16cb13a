/**
 * The browser family of a user agent, the only part of it error insight keeps (anonymous: no version,
 * no platform). Order matters: Edge and Opera also say "Chrome", Chrome also says "Safari".
 * @example
 * browserFamily('Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36') // 'Chrome'
 */
export function browserFamily(userAgent: string | undefined): string | null {
  if (!userAgent) return null;
  if (/\bEdg(e|A|iOS)?\//.test(userAgent)) return 'Edge';
  if (/\bOPR\//.test(userAgent)) return 'Opera';
  if (/\bFirefox\/|\bFxiOS\//.test(userAgent)) return 'Firefox';
  if (/\bChrom(e|ium)\/|\bCriOS\//.test(userAgent)) return 'Chrome';
  if (/\bVersion\/[\d.]+.*\bSafari\//.test(userAgent)) return 'Safari';
  return 'Other';
}
