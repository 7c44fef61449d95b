// Time zones for the `time:` namespace, on Node's Intl only: Java zone ids
// (region ids, ZoneId.SHORT_IDS such as 'IST' or 'PST', offsets such as
// '+05:30' or 'GMT+5'), and the conversion between an instant and its local
// calendar fields in a zone. Called by java-date-pattern.ts and time.ts.

export interface Zone {
  readonly id: string;
  /** Milliseconds east of UTC at this instant. */
  offsetAt(epochMs: number): number;
}

/** Local calendar fields; month 1–12. Out-of-range values roll over (Java's lenient Calendar). */
export interface LocalFields {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  milli: number;
}

/** java.time.ZoneId.SHORT_IDS: the three-letter ids ZoneId.of(id, SHORT_IDS) accepts. */
const SHORT_IDS: Readonly<Record<string, string>> = {
  ACT: 'Australia/Darwin', AET: 'Australia/Sydney', AGT: 'America/Argentina/Buenos_Aires', ART: 'Africa/Cairo',
  AST: 'America/Anchorage', BET: 'America/Sao_Paulo', BST: 'Asia/Dhaka', CAT: 'Africa/Harare',
  CNT: 'America/St_Johns', CST: 'America/Chicago', CTT: 'Asia/Shanghai', EAT: 'Africa/Addis_Ababa',
  ECT: 'Europe/Paris', IET: 'America/Indiana/Indianapolis', IST: 'Asia/Kolkata', JST: 'Asia/Tokyo',
  MIT: 'Pacific/Apia', NET: 'Asia/Yerevan', NST: 'Pacific/Auckland', PLT: 'Asia/Karachi',
  PNT: 'America/Phoenix', PRT: 'America/Puerto_Rico', PST: 'America/Los_Angeles', SST: 'Pacific/Guadalcanal',
  VST: 'Asia/Ho_Chi_Minh', EST: '-05:00', MST: '-07:00', HST: '-10:00',
};

const OFFSET = /^(?:(?:UTC|GMT|UT)?([+-])(\d{1,2})(?::?(\d{2}))?(?::?(\d{2}))?)$/;
const UTC_NAMES = new Set(['Z', 'UTC', 'GMT', 'UT', 'UTC0', 'GMT0']);

export const UTC: Zone = { id: 'UTC', offsetAt: () => 0 };

function fixedZone(id: string, offsetMs: number): Zone {
  return { id, offsetAt: () => offsetMs };
}

function regionZone(id: string): Zone {
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone: id, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric',
    hour: 'numeric', minute: 'numeric', second: 'numeric', era: 'short',
  });
  return {
    id,
    offsetAt(epochMs) {
      const wholeSeconds = Math.floor(epochMs / 1000) * 1000;
      const p: Record<string, string> = {};
      for (const part of format.formatToParts(new Date(wholeSeconds))) p[part.type] = part.value;
      const year = p.era === 'BC' ? 1 - Number(p.year) : Number(p.year);
      const local = utcOf({
        year, month: Number(p.month), day: Number(p.day), hour: Number(p.hour),
        minute: Number(p.minute), second: Number(p.second), milli: 0,
      });
      return local - wholeSeconds;
    },
  };
}

const zones = new Map<string, Zone>();

/** A zone by Java id (throws with the reason when unknown). */
export function resolveZone(id: string): Zone {
  let zone = zones.get(id);
  if (zone) return zone;
  const name = SHORT_IDS[id] ?? id;
  const m = OFFSET.exec(name);
  if (UTC_NAMES.has(name)) zone = fixedZone(name, 0);
  else if (m) {
    const sign = m[1] === '-' ? -1 : 1;
    const ms = ((Number(m[2]) * 60 + Number(m[3] ?? 0)) * 60 + Number(m[4] ?? 0)) * 1000;
    if (ms > 18 * 3600_000) throw new Error(`zone offset out of range: ${id}`);
    zone = fixedZone(name, sign * ms);
  } else {
    try {
      zone = regionZone(name);
    } catch {
      throw new Error(`unknown time zone id '${id}'`);
    }
  }
  zones.set(id, zone);
  return zone;
}

let system: Zone | undefined;

/** The process's zone: what the JVM's default TimeZone would be (TZ, else the system setting). */
export function systemZone(): Zone {
  system ??= resolveZone(Intl.DateTimeFormat().resolvedOptions().timeZone ?? 'UTC');
  return system;
}

/** Epoch ms of fields read as UTC; rolls over out-of-range fields, years 0–99 included. */
function utcOf(f: LocalFields): number {
  const d = new Date(0);
  d.setUTCFullYear(f.year, f.month - 1, f.day);
  d.setUTCHours(f.hour, f.minute, f.second, f.milli);
  return d.getTime();
}

/** The instant of local fields in a zone; a local time in a DST gap moves forward, as Java's lenient Calendar. */
export function instantOf(f: LocalFields, zone: Zone): number {
  const local = utcOf(f);
  const first = zone.offsetAt(local);
  const second = zone.offsetAt(local - first);
  if (second === first) return local - first;
  if (zone.offsetAt(local - second) === second) return local - second;
  // In a gap: read with the offset before the transition, which lands after it.
  return local - Math.min(first, second);
}

/** Local fields of an instant in a zone, with the day of the week (1 = Monday … 7 = Sunday). */
export function fieldsAt(epochMs: number, zone: Zone): LocalFields & { dayOfWeek: number } {
  const d = new Date(epochMs + zone.offsetAt(epochMs));
  return {
    year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: d.getUTCHours(),
    minute: d.getUTCMinutes(), second: d.getUTCSeconds(), milli: d.getUTCMilliseconds(),
    dayOfWeek: ((d.getUTCDay() + 6) % 7) + 1,
  };
}

/**
 * Java's short names (SimpleDateFormat 'z', English) of zones whose Intl en-US
 * short name is only a GMT offset, by their Intl long name, with the offset
 * each stands for (to read them back).
 */
const JAVA_SHORT: Readonly<Record<string, readonly [name: string, offsetMinutes: number]>> = {
  'Greenwich Mean Time': ['GMT', 0], 'British Summer Time': ['BST', 60], 'Irish Standard Time': ['IST', 60],
  'Western European Standard Time': ['WET', 0], 'Western European Summer Time': ['WEST', 60],
  'Central European Standard Time': ['CET', 60], 'Central European Summer Time': ['CEST', 120],
  'Eastern European Standard Time': ['EET', 120], 'Eastern European Summer Time': ['EEST', 180],
  'Moscow Standard Time': ['MSK', 180], 'Gulf Standard Time': ['GST', 240], 'Pakistan Standard Time': ['PKT', 300],
  'India Standard Time': ['IST', 330], 'Indochina Time': ['ICT', 420], 'Western Indonesia Time': ['WIB', 420],
  'China Standard Time': ['CST', 480], 'Hong Kong Standard Time': ['HKT', 480], 'Singapore Standard Time': ['SGT', 480],
  'Australian Western Standard Time': ['AWST', 480], 'Japan Standard Time': ['JST', 540], 'Korean Standard Time': ['KST', 540],
  'Australian Central Standard Time': ['ACST', 570], 'Australian Central Daylight Time': ['ACDT', 630],
  'Australian Eastern Standard Time': ['AEST', 600], 'Australian Eastern Daylight Time': ['AEDT', 660],
  'New Zealand Standard Time': ['NZST', 720], 'New Zealand Daylight Time': ['NZDT', 780],
  'Israel Standard Time': ['IST', 120], 'Israel Daylight Time': ['IDT', 180], 'South Africa Standard Time': ['SAST', 120],
  'Brasilia Standard Time': ['BRT', -180], 'Argentina Standard Time': ['ART', -180],
};

/** The US names Intl already gives, with their offsets, for reading them back. */
const US_SHORT: Readonly<Record<string, number>> = {
  EST: -300, EDT: -240, CST: -360, CDT: -300, MST: -420, MDT: -360, PST: -480, PDT: -420, AKST: -540, AKDT: -480, HST: -600, HDT: -540,
};

/**
 * The zone's display name at an instant, as Java's SimpleDateFormat writes
 * 'z' (short: 'PST', 'IST', 'CET', 'BST'; a zone without a name 'GMT+05:30')
 * and 'zzzz' (long: Intl's English name, e.g. 'India Standard Time').
 */
export function zoneName(zone: Zone, epochMs: number, style: 'short' | 'long'): string {
  if (zone.id === 'GMT' || zone.id === 'UTC') return style === 'short' ? zone.id : zone.id === 'GMT' ? 'Greenwich Mean Time' : 'Coordinated Universal Time';
  const name = (s: 'short' | 'long'): string | undefined => {
    try {
      return nameFormat(zone.id, s)?.formatToParts(epochMs).find((p) => p.type === 'timeZoneName')?.value;
    } catch {
      return undefined;
    }
  };
  if (style === 'long') return name('long') ?? zone.id;
  const short = name('short');
  if (short !== undefined && !/^(GMT|UTC)?[+-]/.test(short)) return short;
  const long = name('long');
  const java = long === undefined ? undefined : JAVA_SHORT[long];
  return java ? java[0] : `GMT${offsetText(zone.offsetAt(epochMs))}`;
}

/** Formatters for zone names, made once per zone and style (dateFormat's 'z' asks per event); null for an id Intl refuses. */
const nameFormats = new Map<string, Intl.DateTimeFormat | null>();

function nameFormat(id: string, style: 'short' | 'long'): Intl.DateTimeFormat | null {
  const key = `${id}|${style}`;
  let f = nameFormats.get(key);
  if (f === undefined) {
    try {
      f = new Intl.DateTimeFormat('en-US', { timeZone: id, timeZoneName: style });
    } catch {
      f = null;
    }
    nameFormats.set(key, f);
  }
  return f;
}

/** '+05:30' for 19 800 000 ms, as Java's custom zone ids; '' for 0 ('GMT'). */
function offsetText(ms: number): string {
  if (ms === 0) return '';
  const minutes = Math.abs(ms) / 60_000;
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${ms < 0 ? '-' : '+'}${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`;
}

/** A short zone name as written by zoneName that is not a zone id ('EDT', 'CEST', 'BRT'): a fixed zone at its offset. */
export function zoneOfName(name: string): Zone | undefined {
  const us = US_SHORT[name];
  if (us !== undefined) return fixedZone(name, us * 60_000);
  const entry = Object.values(JAVA_SHORT).find(([n]) => n === name);
  return entry ? fixedZone(name, entry[1] * 60_000) : undefined;
}
