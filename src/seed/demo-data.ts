import { newYearDialogue, type Speaker } from './dialogue.js';

export interface DemoUser {
  key: string;
  handle: string;
  displayName: string;
}

export interface DemoConversation {
  key: string;
  between: readonly [string, string];
  /** [sender key, text, UTC time]; times are fixed and in the past, so seeding is repeatable. */
  messages: ReadonlyArray<readonly [string, string, Date]>;
}

/** Demo people known by their handle (the key of their deterministic uuid). */
const people = (list: ReadonlyArray<readonly [string, string]>): DemoUser[] =>
  list.map(([handle, displayName]) => ({ key: handle, handle, displayName }));

export const demoUsers: readonly DemoUser[] = [
  { key: 'mara', handle: 'mara_quinn', displayName: 'Mara Quinn' },
  { key: 'teo', handle: 'teo_vance', displayName: 'Teo Vance' },
  { key: 'ines', handle: 'ines_okafor', displayName: 'Inès Okafor' },
  { key: 'sol', handle: 'sol_park', displayName: 'Sol Park' },
  { key: 'lena', handle: 'lena_fischer', displayName: 'Lena Fischer' },
  ...people([
    // Enough people for the "To" field's search to be worth trying (issue 17): accents, letters
    // Unicode does not decompose, other scripts, names sharing a beginning, one word of a
    // name beginning another's handle. They have no conversations yet.
    ['zoe_martin', 'Zoë Martin'],
    ['jose_nunez', 'José Núñez'],
    ['bjorn_lindqvist', 'Björn Lindqvist'],
    ['lukasz_nowak', 'Łukasz Nowak'],
    ['eleni_papadopoulou', 'Ελένη Παπαδοπούλου'],
    ['dmitri_ivanov', 'Дмитрий Иванов'],
    ['yamada_hanako', '山田 花子'],
    ['mohammed_ali', 'محمد علي'],
    ['leila_karimi', 'لیلا کریمی'],
    ['noa_cohen', 'נועה כהן'],
    ['priya_sharma', 'प्रिया शर्मा'],
    ['somchai_jaidee', 'สมชาย ใจดี'],
    ['kim_minjun', '김민준'],
    ['wang_fang', '王芳'],
    ['nguyen_thi_mai', 'Nguyễn Thị Mai'],
    ['ines_garcia', 'Inés García'],
    ['mara_delgado', 'Mara Delgado'],
    ['marta_kowalska', 'Marta Kowalska'],
    ['marco_rossi', 'Marco Rossi'],
    ['mariam_haddad', 'Mariam Haddad'],
    ['marek_dvorak', 'Marek Dvořák'],
    ['teodora_popescu', 'Teodora Popescu'],
    ['anna_andersen', 'Anna Andersen'],
    ['ana_lima', 'Ana Lima'],
    ['soren_ostergaard', 'Søren Østergaard'],
    ['siobhan_obrien', "Siobhán O'Brien"],
    ['jp_dubois', 'Jean-Pierre Dubois'],
    ['jurgen_weiss', 'Jürgen Weiß'],
    ['thora_olafsdottir', 'Þóra Ólafsdóttir'],
    ['olafur_arnason', 'Ólafur Arnason'],
    ['ilkay_yildiz', 'İlkay Yıldız'],
    ['zeynep_sahin', 'Zeynep Şahin'],
    ['joao_conceicao', 'João Conceição'],
    ['francois_leclerc', 'François Leclerc'],
    ['chloe_dupont', 'Chloé Dupont'],
    ['sofia_hernandez', 'Sofía Hernández'],
    ['tomas_novak', 'Tomáš Novák'],
    ['aino_virtanen', 'Aino Virtanen'],
    ['kwame_mensah', 'Kwame Mensah'],
    ['aroha_ngata', 'Aroha Ngata'],
  ]),
];

/** Messages `stepSeconds` apart from `start`. */
const spaced = (
  start: string,
  stepSeconds: number,
  lines: ReadonlyArray<readonly [string, string]>,
): ReadonlyArray<readonly [string, string, Date]> =>
  lines.map(([from, text], i) => [
    from,
    text,
    new Date(Date.parse(start) + i * stepSeconds * 1000),
  ]);

/** The long one crosses midnight of 31 December: the original's year filter lost it all. */
export const demoConversations: readonly DemoConversation[] = [
  {
    key: 'mara-teo',
    between: ['mara', 'teo'],
    messages: spaced(
      '2025-12-31T23:10:00.000Z',
      45,
      newYearDialogue.map(([from, text]: readonly [Speaker, string]) => [from, text] as const),
    ),
  },
  {
    key: 'ines-mara',
    between: ['ines', 'mara'],
    messages: spaced('2026-11-20T08:12:00.000Z', 140, [
      ['ines', 'Morning! Are we still on for the climbing gym tonight?'],
      ['mara', 'Yes! 7pm? I need to work off all that cake from yesterday.'],
      ['ines', '7 works. I booked the bouldering wall for an hour.'],
      ['mara', 'Perfect. Bring the chalk bag, mine exploded in my backpack 🙃'],
      ['ines', 'Ha, will do. See you there!'],
      ['mara', 'See you 👋'],
    ]),
  },
  {
    key: 'sol-teo',
    between: ['sol', 'teo'],
    messages: spaced('2026-11-22T15:40:00.000Z', 95, [
      ['sol', 'Did the deploy go out?'],
      ['teo', 'It did. Stream lag is under 100 ms now.'],
      ['sol', 'Nice. And the group rows?'],
      ['teo', 'Both move in one transaction, and a late record can never move them back.'],
      ['sol', 'That is the best sentence I have read all week 🎉'],
    ]),
  },
  {
    key: 'ines-sol',
    between: ['ines', 'sol'],
    messages: spaced('2026-11-24T11:05:00.000Z', 300, [
      ['ines', 'Can you review my pull request before lunch?'],
      ['sol', 'On it. Which one, the pagination fix?'],
      [
        'ines',
        'That one. Cursors are signed now, so nobody can page through someone else’s inbox.',
      ],
      ['sol', 'Approved ✅'],
    ]),
  },
  {
    key: 'lena-sol',
    between: ['lena', 'sol'],
    messages: spaced('2026-11-25T17:30:00.000Z', 60, [
      ['lena', 'Hi Sol! Inès said you know how DynamoDB streams work?'],
      ['sol', 'A little. What do you need?'],
      ['lena', 'Why would a consumer see the same record twice?'],
      [
        'sol',
        'Delivery is at least once. Retries replay whole batches, so every step must be idempotent.',
      ],
      ['lena', 'That explains a lot. Thank you!'],
    ]),
  },
];
