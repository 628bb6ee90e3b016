/**
 * Letters that look like Latin ones, for telling when two names only look alike (in the spirit of
 * the "skeleton" of Unicode UTS #39, confusable detection). Anyone can type a name, and a backend
 * can post under any name, so "Ada Lovelace" spelled with a Cyrillic "А" must count as the same
 * name as the real one, or the impostor shows with no tag beside it. The tables are curated, not
 * exhaustive: the letters of the Cyrillic, Greek and Armenian scripts most often used to pass for
 * Latin, a few Latin letters that pass for others, and digits. Each maps to the Latin it looks
 * like; a name that matches too eagerly only gets its tag shown. Written as escapes, since the
 * point of every entry is that it cannot be told apart from its target by eye.
 */

/** Capitals whose small letters look like some other Latin letter (Greek "Η" is "H", its "η" is "n"): mapped before case folding. */
const CAPITALS: Record<string, string> = {
  A: '\u0391\u0410', // Greek Alpha, Cyrillic A
  B: '\u0392\u0412', // Greek Beta, Cyrillic Ve
  C: '\u0421\u03F9', // Cyrillic Es, Greek lunate Sigma
  E: '\u0395\u0415', // Greek Epsilon, Cyrillic Ie
  H: '\u0397\u041D\u04BA', // Greek Eta, Cyrillic En, Shha
  I: '\u0399\u0406\u04C0', // Greek Iota, Cyrillic Byelorussian-Ukrainian I, Palochka
  J: '\u0408', // Cyrillic Je
  K: '\u039A\u041A', // Greek Kappa, Cyrillic Ka
  M: '\u039C\u041C', // Greek Mu, Cyrillic Em
  N: '\u039D', // Greek Nu
  O: '\u039F\u041E', // Greek Omicron, Cyrillic O
  P: '\u03A1\u0420', // Greek Rho, Cyrillic Er
  Q: '\u051A', // Cyrillic Qa
  S: '\u0405', // Cyrillic Dze
  T: '\u03A4\u0422', // Greek Tau, Cyrillic Te
  W: '\u051C', // Cyrillic We
  X: '\u03A7\u0425', // Greek Chi, Cyrillic Ha
  Y: '\u03A5\u0423\u04AE', // Greek Upsilon, Cyrillic U, Straight U
  Z: '\u0396' // Greek Zeta
}

/**
 * Small letters and digits, after case folding. Letters easily taken for one another map to one
 * of them: i, l and 1 (and so a capital I) to "l", 0 to "o", "m" to "rn", "w" to "vv" (expanding,
 * so that "rn" and "m" meet however they are mixed).
 */
const SMALL: Record<string, string> = {
  a: '\u03B1\u0430\u0251', // Greek alpha, Cyrillic a, Latin alpha
  b: '\u0432\u044C\u0185', // Cyrillic ve, soft sign, Latin tone six
  c: '\u0441\u03F2', // Cyrillic es, Greek lunate sigma
  d: '\u0501', // Cyrillic komi de
  e: '\u03B5\u0435', // Greek epsilon, Cyrillic ie
  g: '\u0261', // Latin script g
  h: '\u043D\u04BB\u0570', // Cyrillic en, shha, Armenian ho
  j: '\u0458\u03F3\u0237', // Cyrillic je, Greek yot, Latin dotless j
  k: '\u03BA\u043A', // Greek kappa, Cyrillic ka
  l: 'i1\u03B9\u0456\u04CF\u0131', // Latin i, one, Greek iota, Cyrillic i, palochka, Latin dotless i
  n: '\u03B7\u043F\u0578', // Greek eta, Cyrillic pe, Armenian vo
  o: '0\u03BF\u043E\u0585', // zero, Greek omicron, Cyrillic o, Armenian oh
  p: '\u03C1\u0440', // Greek rho, Cyrillic er
  q: '\u051B\u0566', // Cyrillic qa, Armenian za
  rn: 'm\u043C', // Latin m, Cyrillic em
  s: '\u0455', // Cyrillic dze
  t: '\u03C4\u0442', // Greek tau, Cyrillic te
  u: '\u03C5\u057D', // Greek upsilon, Armenian seh
  v: '\u03BD\u0475', // Greek nu, Cyrillic izhitsa
  vv: 'w\u051D\u0461', // Latin w, Cyrillic we, omega
  x: '\u03C7\u0445', // Greek chi, Cyrillic ha
  y: '\u0443\u04AF\u03B3' // Cyrillic u, straight u, Greek gamma
}

/** Replaces each look-alike character by the Latin it stands for, in one pass (linear in the length). */
function replacer (table: Record<string, string>): (text: string) => string {
  const map = new Map<string, string>()
  for (const [latin, alikes] of Object.entries(table)) for (const c of alikes) map.set(c, latin)
  const any = new RegExp(`[${[...map.keys()].join('')}]`, 'gu')
  return (text) => text.replace(any, (c) => map.get(c)!)
}

/** Capital look-alikes written as the Latin capitals they look like; run before folding case. */
export const latinCapitals = replacer(CAPITALS)

/** Small look-alikes written as the Latin they look like; run on case-folded text. */
export const latinSmall = replacer(SMALL)
