// Deterministic seed data: the same options always produce byte-identical records. All dates
// fall between 2019-01-01 and 2025-06-30 and depend only on the PRNG, never on the wall clock.
import { LosslessNumber } from 'lossless-json';
import { formatUtcTimestamp } from './dates';
import type { JsonObject, JsonValue } from './json';
import { deriveFullName } from './records';

export interface SeedOptions {
  accounts: number;
  maxContactsPerAccount: number;
  seed: number;
}

export interface SeedRecords {
  /** Stored accounts with ids 1..accounts. */
  accounts: JsonObject[];
  /** Stored contacts with ids from 1, each with `accountId` (null for contacts without account). */
  contacts: JsonObject[];
}

/**
 * Ids that get edge-case values: an account or contact gets the case when
 * `id % period === remainder`, so the smallest id with each case is `remainder`.
 */
export const SEED_EDGE_CASES = {
  /** Account: data.annualRevenue 9007199254740993, externalId 12345678901234567891, customFields. */
  accountBigNumbers: { period: 97, remainder: 3 },
  /** Account: createdDate and data.signupDate with a +02:00 offset and seven fraction digits. */
  accountOffsetDates: { period: 89, remainder: 5 },
  /** Account: data.description of 2-8 KB. */
  accountLongDescription: { period: 61, remainder: 11 },
  /** Account: emoji in accountName and companyName. */
  accountEmojiName: { period: 53, remainder: 13 },
  /** Contact: externalId 98765432109876543210 and a nested customFields object. */
  contactBigNumbers: { period: 71, remainder: 4 },
} as const;

function hasEdgeCase(id: number, edgeCase: { period: number; remainder: number }): boolean {
  return id % edgeCase.period === edgeCase.remainder;
}

/**
 * Concatenates into a flat string. V8 keeps the result of `+` and template literals as a tree
 * of parts. On Node 20 that measured about 170 bytes more for a seven-part e-mail address than
 * a flat string, which adds up over 300,000 seeded records.
 */
function flat(...parts: (string | number)[]): string {
  return parts.join('');
}

const SEED_START_MS = Date.UTC(2019, 0, 1);
const SEED_END_MS = Date.UTC(2025, 5, 30);

/** Latest instant of any seeded date, in ms since the Unix epoch. */
export const SEED_LATEST_MS = SEED_END_MS;

/** Mulberry32: a small, fast 32-bit PRNG, good enough for test data. */
class SeededRandom {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Returns a float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Returns an integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }
}

/** A display name and the ASCII slug used for domains and e-mail addresses. */
type Name = readonly [text: string, slug: string];

interface Script {
  companyRoots: readonly Name[];
  companyWords: readonly Name[];
  /** Text between root and word: a space, or nothing in CJK names. */
  separator: string;
  legalSuffixes: readonly string[];
  firstNames: readonly Name[];
  lastNames: readonly Name[];
  topLevelDomains: readonly string[];
  timezones: readonly string[];
}

/** Latin names with accents get their slug by stripping diacritics. */
function latin(...names: string[]): Name[] {
  return names.map((name) => [name, toSlug(name)] as const);
}

function toSlug(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/ø/g, 'o')
    .replace(/Ø/g, 'O')
    .replace(/æ/g, 'ae')
    .replace(/ß/g, 'ss')
    .replace(/[łŁ]/g, 'l')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

const SCRIPTS: readonly Script[] = [
  {
    companyRoots: latin(
      'Northwind',
      'Bellwether',
      'Cobalt',
      'Driftwood',
      'Evergreen',
      'Foxglove',
      'Granite',
      'Harbor',
      'Juniper',
      'Kestrel',
      'Meridian',
      'Quartz',
      'Blåbær',
      'Café Lumière',
      'Müller & Söhne',
      'Øresund',
      'Ñandú',
      'Élan Vital',
      'Kraków Młyn',
      'São Bento',
      'Jökulsá',
      'Česká Hvězda',
      'Łąka',
      'Crème Brûlée',
    ),
    companyWords: latin(
      'Logistics',
      'Systems',
      'Analytics',
      'Foods',
      'Labs',
      'Software',
      'Consulting',
      'Energy',
      'Media',
      'Health',
      'Robotics',
      'Textiles',
    ),
    separator: ' ',
    legalSuffixes: ['Inc.', 'GmbH', 'Ltd', 'S.A.', 'AB', 'SARL', 'LLC', 'Oy', 'B.V.', 'sp. z o.o.'],
    firstNames: latin(
      'Anna',
      'Björn',
      'Chloé',
      'Dávid',
      'Élodie',
      'František',
      'Grzegorz',
      'Hélène',
      'Iñaki',
      'Jürgen',
      'Kåre',
      'Léa',
      'Małgorzata',
      'Øystein',
      'Paweł',
      'Renée',
      'Søren',
      'Zoë',
      'James',
      'Maria',
      'Lucas',
      'Sofia',
      'Noah',
      'Emma',
    ),
    lastNames: latin(
      'Müller',
      'Núñez',
      'García',
      'Łukasiewicz',
      'Dvořák',
      'Jørgensen',
      'Lefèvre',
      'Åkesson',
      "O'Brien",
      'Smith',
      'Johnson',
      'Rossi',
      'Novak',
      'Kowalski',
      'Fernández',
      'Schäfer',
      'Côté',
      'Ferreira',
    ),
    topLevelDomains: ['com', 'io', 'de', 'fr', 'se', 'pl', 'es', 'co.uk'],
    timezones: ['Europe/Berlin', 'Europe/Paris', 'America/New_York', 'Europe/London', 'UTC'],
  },
  {
    companyRoots: [
      ['Ромашка', 'romashka'],
      ['Берёзка', 'beryozka'],
      ['Звезда', 'zvezda'],
      ['Восток', 'vostok'],
      ['Северный Ветер', 'severny-veter'],
      ['Сибирь', 'sibir'],
      ['Радуга', 'raduga'],
    ],
    companyWords: [
      ['Технологии', 'tech'],
      ['Софт', 'soft'],
      ['Логистик', 'logistik'],
      ['Трейд', 'trade'],
    ],
    separator: ' ',
    legalSuffixes: ['ООО', 'АО'],
    firstNames: [
      ['Иван', 'ivan'],
      ['Ольга', 'olga'],
      ['Дмитрий', 'dmitry'],
      ['Анна', 'anna'],
      ['Сергей', 'sergey'],
      ['Наталья', 'natalya'],
      ['Алексей', 'aleksey'],
      ['Екатерина', 'ekaterina'],
    ],
    lastNames: [
      ['Иванов', 'ivanov'],
      ['Смирнова', 'smirnova'],
      ['Кузнецов', 'kuznetsov'],
      ['Попова', 'popova'],
      ['Соколов', 'sokolov'],
      ['Лебедева', 'lebedeva'],
    ],
    topLevelDomains: ['ru', 'com'],
    timezones: ['Europe/Moscow', 'Asia/Novosibirsk'],
  },
  {
    companyRoots: [
      ['Αθηνά', 'athina'],
      ['Όλυμπος', 'olympos'],
      ['Ερμής', 'ermis'],
      ['Ποσειδών', 'poseidon'],
      ['Ήλιος', 'ilios'],
      ['Δελφοί', 'delfoi'],
    ],
    companyWords: [
      ['Συστήματα', 'systems'],
      ['Λογισμικό', 'software'],
      ['Εμπορική', 'trading'],
      ['Ναυτιλιακή', 'shipping'],
    ],
    separator: ' ',
    legalSuffixes: ['Α.Ε.', 'Ε.Π.Ε.'],
    firstNames: [
      ['Γιώργος', 'giorgos'],
      ['Μαρία', 'maria'],
      ['Νίκος', 'nikos'],
      ['Ελένη', 'eleni'],
      ['Δημήτρης', 'dimitris'],
      ['Κατερίνα', 'katerina'],
    ],
    lastNames: [
      ['Παπαδόπουλος', 'papadopoulos'],
      ['Οικονόμου', 'oikonomou'],
      ['Γεωργίου', 'georgiou'],
      ['Νικολάου', 'nikolaou'],
      ['Αλεξίου', 'alexiou'],
    ],
    topLevelDomains: ['gr', 'com'],
    timezones: ['Europe/Athens'],
  },
  {
    companyRoots: [
      ['さくら', 'sakura'],
      ['青空', 'aozora'],
      ['富士', 'fuji'],
      ['山桜', 'yamazakura'],
    ],
    companyWords: [
      ['ソフト', 'soft'],
      ['商事', 'shoji'],
      ['技研', 'giken'],
    ],
    separator: '',
    legalSuffixes: ['株式会社', '合同会社'],
    firstNames: [
      ['太郎', 'taro'],
      ['花子', 'hanako'],
      ['翔太', 'shota'],
      ['さくら', 'sakura'],
    ],
    lastNames: [
      ['山田', 'yamada'],
      ['佐藤', 'sato'],
      ['鈴木', 'suzuki'],
      ['高橋', 'takahashi'],
    ],
    topLevelDomains: ['jp', 'co.jp'],
    timezones: ['Asia/Tokyo'],
  },
  {
    companyRoots: [
      ['星辰', 'xingchen'],
      ['长城', 'changcheng'],
      ['华夏', 'huaxia'],
      ['龙腾', 'longteng'],
    ],
    companyWords: [
      ['科技', 'tech'],
      ['贸易', 'trade'],
      ['网络', 'network'],
    ],
    separator: '',
    legalSuffixes: ['有限公司', '股份有限公司'],
    firstNames: [
      ['伟', 'wei'],
      ['芳', 'fang'],
      ['娜', 'na'],
      ['强', 'qiang'],
    ],
    lastNames: [
      ['王', 'wang'],
      ['李', 'li'],
      ['张', 'zhang'],
      ['陈', 'chen'],
    ],
    topLevelDomains: ['cn', 'com.cn'],
    timezones: ['Asia/Shanghai'],
  },
  {
    companyRoots: [
      ['한빛', 'hanbit'],
      ['바다', 'bada'],
      ['누리', 'nuri'],
    ],
    companyWords: [
      ['소프트', 'soft'],
      ['테크', 'tech'],
      ['물산', 'mulsan'],
    ],
    separator: '',
    legalSuffixes: ['주식회사'],
    firstNames: [
      ['민준', 'minjun'],
      ['서연', 'seoyeon'],
      ['지호', 'jiho'],
    ],
    lastNames: [
      ['김', 'kim'],
      ['이', 'lee'],
      ['박', 'park'],
    ],
    topLevelDomains: ['kr', 'co.kr'],
    timezones: ['Asia/Seoul'],
  },
  {
    companyRoots: [
      ['النور', 'alnoor'],
      ['الفجر', 'alfajr'],
      ['الواحة', 'alwaha'],
      ['الصقر', 'alsaqr'],
    ],
    companyWords: [
      ['للتقنية', 'tech'],
      ['للتجارة', 'trading'],
      ['القابضة', 'holding'],
    ],
    separator: ' ',
    legalSuffixes: ['ش.م.م', 'ذ.م.م'],
    firstNames: [
      ['محمد', 'mohammed'],
      ['فاطمة', 'fatima'],
      ['أحمد', 'ahmed'],
      ['ليلى', 'layla'],
      ['عمر', 'omar'],
      ['نور', 'noor'],
    ],
    lastNames: [
      ['العلي', 'alali'],
      ['الحسن', 'alhassan'],
      ['المنصور', 'almansour'],
      ['السعيد', 'alsaeed'],
    ],
    topLevelDomains: ['sa', 'ae', 'com'],
    timezones: ['Asia/Riyadh', 'Asia/Dubai'],
  },
  {
    companyRoots: [
      ['אור', 'or'],
      ['גלים', 'galim'],
      ['כרמל', 'carmel'],
      ['נגב', 'negev'],
    ],
    companyWords: [
      ['טכנולוגיות', 'tech'],
      ['מערכות', 'systems'],
      ['תוכנה', 'software'],
    ],
    separator: ' ',
    legalSuffixes: ['בע"מ'],
    firstNames: [
      ['דוד', 'david'],
      ['שרה', 'sarah'],
      ['יוסף', 'yosef'],
      ['רחל', 'rachel'],
      ['נועה', 'noa'],
    ],
    lastNames: [
      ['כהן', 'cohen'],
      ['לוי', 'levi'],
      ['מזרחי', 'mizrahi'],
      ['פרץ', 'peretz'],
      ['ביטון', 'biton'],
    ],
    topLevelDomains: ['co.il', 'com'],
    timezones: ['Asia/Jerusalem'],
  },
];

/** Weights of SCRIPTS in the same order: mostly Latin, as in a European or US workspace. */
const SCRIPT_WEIGHTS = [0.6, 0.1, 0.07, 0.04, 0.04, 0.02, 0.07, 0.06];

const EMOJI = ['🚀', '☀️', '🌮', '👾', '🌱', '☕', '👩‍💻', '🇩🇪', '✨'];

const STATUSES = [
  { value: { id: 1, caption: 'Active' }, weight: 0.5 },
  { value: { id: 2, caption: 'Trial' }, weight: 0.2 },
  { value: { id: 3, caption: 'Churned' }, weight: 0.15 },
  { value: { id: 4, caption: 'Prospect' }, weight: 0.15 },
];

/** Shared empty additionalEmails list; stored records are never mutated. */
const NO_EMAILS: JsonValue[] = [];

const INDUSTRIES = ['Software', 'Retail', 'Manufacturing', 'Logistics', 'Healthcare', 'Finance'];
const ACCOUNT_TYPES = ['Customer', 'Partner', 'Reseller', 'Prospect'];
const SUBSCRIPTIONS = ['Free', 'Starter', 'Pro', 'Enterprise'];
const ACCOUNT_LEVELS = ['Bronze', 'Silver', 'Gold', 'Platinum'];
const TITLES = [
  'CEO',
  'CTO',
  'Head of Sales',
  'Product Manager',
  'Software Engineer',
  'Account Executive',
  'Customer Success Manager',
  'Ingénieure logicielle',
  'Директор по продажам',
  'プロダクトマネージャー',
];
const DEPARTMENTS = ['Sales', 'Engineering', 'Marketing', 'Support', 'Finance', 'Operations'];
const SENTENCES = [
  'Long-standing customer with a dedicated success manager.',
  'Evaluating the enterprise plan for their EMEA teams.',
  'Renewal is due next quarter; procurement asked for a multi-year quote.',
  'Uses the roadmap portal heavily and votes on most feature requests.',
  'Requested SSO and audit logs before expanding to more seats.',
  'Churned after the budget freeze but may return in the next fiscal year.',
  'Key contact prefers e-mail over calls; time zone differs by several hours.',
  'Integrations in use: Slack, Jira, Intercom and a custom webhook consumer.',
  'Café meeting notes: the team wants fewer clicks when triaging feedback.',
  'Pilot started with two product teams and one support team.',
];

interface Company {
  script: Script;
  accountName: string;
  companyName: string;
  domain: string;
}

/** Builds the seed records for `options`. Ids start at 1 for accounts and for contacts. */
export function generateSeedRecords(options: SeedOptions): SeedRecords {
  const random = new SeededRandom(options.seed);
  const accounts: JsonObject[] = [];
  const contacts: JsonObject[] = [];

  for (let accountId = 1; accountId <= options.accounts; accountId++) {
    const company = makeCompany(random, accountId);
    accounts.push(makeAccount(random, accountId, company));

    const contactCount = random.int(0, options.maxContactsPerAccount);
    for (let index = 0; index < contactCount; index++) {
      contacts.push(makeContact(random, contacts.length + 1, company, accountId));
    }
    if (random.chance(0.05)) {
      contacts.push(makeContact(random, contacts.length + 1, undefined, null));
    }
  }
  return { accounts, contacts };
}

function pickScript(random: SeededRandom): Script {
  let roll = random.next();
  for (let index = 0; index < SCRIPTS.length; index++) {
    roll -= SCRIPT_WEIGHTS[index];
    if (roll < 0) return SCRIPTS[index];
  }
  return SCRIPTS[0];
}

function makeCompany(random: SeededRandom, id: number): Company {
  const script = pickScript(random);
  const [rootText, rootSlug] = random.pick(script.companyRoots);
  const [wordText, wordSlug] = random.pick(script.companyWords);
  let accountName = flat(rootText, script.separator, wordText);
  const suffix = random.pick(script.legalSuffixes);
  // Russian and CJK legal forms precede the name, and CJK names take no space after them.
  let companyName = flat(accountName, ' ', suffix);
  if (script === SCRIPTS[1]) companyName = flat(suffix, ' ', accountName);
  if (script.separator === '') companyName = flat(suffix, accountName);
  if (hasEdgeCase(id, SEED_EDGE_CASES.accountEmojiName) || random.chance(0.02)) {
    const emoji = random.pick(EMOJI);
    accountName = flat(accountName, ' ', emoji);
    companyName = flat(companyName, ' ', emoji);
  }
  // The id keeps domains unique, so a search for a domain finds exactly one account.
  const domain = flat(rootSlug, '-', wordSlug, '-', id, '.', random.pick(script.topLevelDomains));
  return { script, accountName, companyName, domain };
}

const isoDate = formatUtcTimestamp;

/** Formats an instant as local time at +02:00 with seven fraction digits, as .NET may emit it. */
function isoDateWithOffset(ms: number, random: SeededRandom): string {
  const local = new Date(ms + 2 * 3_600_000).toISOString().slice(0, 23);
  const extraDigits = String(random.int(0, 9999)).padStart(4, '0');
  return flat(local, extraDigits, '+02:00');
}

function randomInstant(random: SeededRandom, fromMs: number, toMs: number): number {
  return Math.floor(fromMs + random.next() * (toMs - fromMs));
}

/** Sets `record[key]` to `value`, except that a few records get null and a few lack the key. */
function setSometimes(
  random: SeededRandom,
  record: JsonObject,
  key: string,
  value: JsonValue,
  nullChance = 0.04,
  missingChance = 0.03,
): void {
  const roll = random.next();
  if (roll < nullChance) record[key] = null;
  else if (roll >= nullChance + missingChance) record[key] = value;
}

function makeDescription(random: SeededRandom, long: boolean): string {
  if (!long) return random.pick(SENTENCES);
  const targetLength = random.int(2048, 8192);
  const parts: string[] = [];
  let length = 0;
  while (length < targetLength) {
    const sentence = random.pick(SENTENCES);
    parts.push(sentence);
    length += sentence.length + 1;
  }
  return parts.join(' ').slice(0, targetLength);
}

function makePhone(random: SeededRandom): string {
  return flat('+', random.int(1, 99), ' ', random.int(10, 999), ' ', random.int(100000, 9999999));
}

/**
 * Builds a stored account. Keys are assigned in the order that buildAccountRecord produces,
 * which is cheaper for 100,000 records than building a temporary object and reordering it.
 */
function makeAccount(random: SeededRandom, id: number, company: Company): JsonObject {
  const createdMs = randomInstant(random, SEED_START_MS, SEED_END_MS);
  const lastEditMs = randomInstant(random, createdMs, SEED_END_MS);
  const offsetDates = hasEdgeCase(id, SEED_EDGE_CASES.accountOffsetDates);
  const account: JsonObject = { id, accountName: company.accountName };
  setSometimes(random, account, 'companyName', company.companyName, 0.05, 0.03);
  // Status objects are shared between records, which is safe because stored records are
  // replaced on write, never mutated.
  setSometimes(random, account, 'status', weightedStatus(random), 0.03, 0);
  const domains = random.chance(0.2)
    ? [company.domain, flat(company.domain.split('.')[0], '.app')]
    : [company.domain];
  setSometimes(random, account, 'domains', random.chance(0.03) ? [] : domains, 0.02, 0.02);
  if (random.chance(0.02)) account.data = null;
  else account.data = makeAccountData(random, id, company, createdMs, lastEditMs, offsetDates);

  if (hasEdgeCase(id, SEED_EDGE_CASES.accountBigNumbers)) {
    if (account.data !== null) {
      account.data = { ...account.data, annualRevenue: new LosslessNumber('9007199254740993') };
    }
    account.externalId = new LosslessNumber('12345678901234567891');
    account.customFields = {
      crmId: new LosslessNumber('98765432109876543210'),
      score: new LosslessNumber('0.1000000000000000055511151231257827'),
      tags: ['vip', 'beta'],
      nested: { flag: true, note: null },
    };
  }
  account.lastEditDate = isoDate(lastEditMs);
  account.createdDate = offsetDates ? isoDateWithOffset(createdMs, random) : isoDate(createdMs);
  return account;
}

function makeAccountData(
  random: SeededRandom,
  id: number,
  company: Company,
  createdMs: number,
  lastEditMs: number,
  offsetDates: boolean,
): JsonObject {
  const signupMs = randomInstant(random, createdMs, lastEditMs);
  const data: JsonObject = { id };
  setSometimes(random, data, 'website', flat('https://www.', company.domain));
  setSometimes(random, data, 'phone', makePhone(random));
  setSometimes(random, data, 'annualRevenue', random.int(5, 50_000) * 10_000);
  setSometimes(random, data, 'lifetimeValue', random.int(0, 5_000_000) / 100);
  setSometimes(random, data, 'employeesCount', random.int(1, 20_000));
  if (hasEdgeCase(id, SEED_EDGE_CASES.accountLongDescription)) {
    data.description = makeDescription(random, true);
  } else {
    setSometimes(random, data, 'description', makeDescription(random, false), 0.1, 0.1);
  }
  setSometimes(random, data, 'industry', random.pick(INDUSTRIES));
  setSometimes(random, data, 'type', random.pick(ACCOUNT_TYPES));
  setSometimes(random, data, 'subscription', random.pick(SUBSCRIPTIONS));
  setSometimes(random, data, 'accountLevel', random.pick(ACCOUNT_LEVELS));
  const signupDate = offsetDates ? isoDateWithOffset(signupMs, random) : isoDate(signupMs);
  setSometimes(random, data, 'signupDate', signupDate);
  const firstPurchase = random.chance(0.6)
    ? isoDate(randomInstant(random, signupMs, lastEditMs))
    : null;
  setSometimes(random, data, 'firstPurchaseDate', firstPurchase);
  setSometimes(random, data, 'timezone', random.pick(company.script.timezones));
  return data;
}

function weightedStatus(random: SeededRandom): JsonObject {
  let roll = random.next();
  for (const status of STATUSES) {
    roll -= status.weight;
    if (roll < 0) return status.value;
  }
  return STATUSES[0].value;
}

/** Builds a stored contact with keys in the order that buildContactRecord produces. */
function makeContact(
  random: SeededRandom,
  id: number,
  company: Company | undefined,
  accountId: number | null,
): JsonObject {
  const script = company && random.chance(0.7) ? company.script : pickScript(random);
  const [firstText, firstSlug] = random.pick(script.firstNames);
  const [lastText, lastSlug] = random.pick(script.lastNames);
  const lastName = random.chance(0.02) ? flat(lastText, ' ', random.pick(EMOJI)) : lastText;
  const domain = company?.domain ?? flat('mail-', id % 50, '.example.com');

  const contact: JsonObject = { id };
  // A contact needs a first name, last name or e-mail, so at most one of them is null or missing.
  const dropped = random.int(0, 30);
  let firstName: string | null = firstText;
  if (dropped === 0) {
    firstName = null;
    if (random.chance(0.5)) contact.firstName = null;
  } else {
    contact.firstName = firstText;
  }
  if (dropped !== 1) contact.lastName = lastName;
  contact.fullName = deriveFullName(firstName, dropped === 1 ? null : lastName);
  setSometimes(
    random,
    contact,
    'avatarUrl',
    flat('https://avatars.example.com/', id, '.png'),
    0.3,
    0.1,
  );
  contact.email = dropped === 2 ? null : flat(firstSlug, '.', lastSlug, '.', id, '@', domain);
  const additionalEmails = random.chance(0.15)
    ? [flat(firstSlug, '.', id, '@personal.example.com')]
    : NO_EMAILS;
  setSometimes(random, contact, 'additionalEmails', additionalEmails, 0.03, 0.03);
  setSometimes(random, contact, 'phone', makePhone(random), 0.2, 0.05);
  setSometimes(random, contact, 'mobile', makePhone(random), 0.3, 0.05);
  setSometimes(random, contact, 'anotherPhone', null, 0.5, 0.3);
  setSometimes(random, contact, 'title', random.pick(TITLES), 0.1, 0.05);
  setSometimes(random, contact, 'department', random.pick(DEPARTMENTS), 0.1, 0.05);
  setSometimes(random, contact, 'companyName', company?.companyName ?? null, 0.05, 0.05);

  if (hasEdgeCase(id, SEED_EDGE_CASES.contactBigNumbers)) {
    contact.externalId = new LosslessNumber('98765432109876543210');
    contact.customFields = { linkedAt: '2024-03-31T01:30:00.1234567+02:00', rank: null };
  }

  const createdMs = randomInstant(random, SEED_START_MS, SEED_END_MS);
  contact.lastEditDate = isoDate(randomInstant(random, createdMs, SEED_END_MS));
  contact.createdDate = isoDate(createdMs);
  contact.accountId = accountId;
  return contact;
}
