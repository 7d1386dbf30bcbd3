/**
 * Comment text from the TPC-H grammar (spec 4.2.2.10), the way dbgen makes it: build one fixed
 * pool of grammatical sentences once, then cut each comment as a random [offset, offset+len)
 * slice of it. Slices may start or end mid-word, exactly as dbgen's do.
 *
 * The pool is fixed (its own seed, not the user's), like dbgen's: the user's seed picks the
 * offsets and lengths. dbgen's pool is 300 MB; 4 MiB keeps start-up at a few tens of
 * milliseconds and still gives ~4 million distinct starting points.
 *
 * Word lists are those of the spec (4.2.2.13) and dbgen's dists.dss, with dists.dss weights
 * (as closely as we reproduce them; exact weights are not required for our purposes, but the
 * common words must be common so LIKE '%special%requests%'-style predicates select realistically). The text is ASCII only,
 * so bytes and characters coincide. It contains commas ("<adjective>, <adjective> <noun>"),
 * which CSV must quote.
 */
import { StreamSalt, UnitRng } from './prng.js';
/** `word:weight` lists (weight 1 when omitted), expanded so a uniform pick is a weighted pick. */
function weighted(spec) {
    const out = [];
    for (const item of spec.split('|')) {
        const m = /^(.*):(\d+)$/.exec(item);
        const [word, weight] = m ? [m[1], Number(m[2])] : [item, 1];
        for (let i = 0; i < weight; i++)
            out.push(word);
    }
    return out;
}
const NOUNS = weighted('packages:40|requests:40|accounts:40|deposits:40|foxes:20|ideas:20|theodolites:20|pinto beans:20|' +
    'instructions:20|dependencies:10|excuses:10|platelets:10|asymptotes:10|courts:5|dolphins:5|multipliers|' +
    "sauternes|warthogs|frets|dinos|attainments|somas|Tiresias'|patterns|forges|braids|hockey players|frays|" +
    'warhorses|dugouts|notornis|epitaphs|pearls|tithes|waters|orbits|gifts|sheaves|depths|sentiments|decoys|' +
    'realms|pains|grouches|escapades');
const VERBS = weighted('sleep:20|wake:20|are:20|cajole:20|haggle:20|nag:10|use:10|boost:10|affix:5|detect:5|integrate:5|' +
    'maintain|nod|was|lose|sublate|solve|thrash|promise|engage|hinder|print|x-ray|breach|eat|grow|impress|' +
    'mold|poach|serve|run|dazzle|snooze|doze|unwind|kindle|play|hang|believe|doubt');
const ADJECTIVES = weighted('special:20|pending:20|unusual:20|express:20|furious|sly|careful|blithe|quick|fluffy|slow|quiet|ruthless|' +
    'thin|close|dogged|daring|brave|stealthy|permanent|enticing|idle|busy|regular:50|final:40|ironic:40|' +
    'even:30|bold:20|silent:10');
const ADVERBS = weighted('sometimes|always|never|furiously:50|slyly:50|carefully:50|blithely:40|quickly:30|fluffily:20|slowly|' +
    'quietly|ruthlessly|thinly|closely|doggedly|daringly|bravely|stealthily|permanently|enticingly|idly|' +
    'busily|regularly|finally|ironically|evenly|boldly|silently');
const PREPOSITIONS = weighted('about:50|above:50|according to:50|across:50|after:50|against:40|along:40|alongside of:30|among:30|' +
    'around:20|at:10|atop|before|behind|beneath|beside|besides|between|beyond|by|despite|during|except|' +
    'for|from|in place of|inside|instead of|into|near|of|on|outside|over|past|since|through|throughout|' +
    'to|toward|under|until|up|upon|without|with|within');
const AUXILIARIES = weighted('do|may|might|shall|will|would|can|could|should|ought to|must|will have to|shall have to|' +
    'could have to|should have to|must have to|need to|try to');
const TERMINATORS = weighted('.:50|;|:|?|!|--');
/** dists.dss "grammar": N=noun phrase, V=verb phrase, P=prepositional phrase, T=terminator. */
const SENTENCES = [
    ['N V T', 3],
    ['N V P T', 3],
    ['N V N T', 3],
    ['N P V N T', 1],
    ['N P V P T', 1],
];
/** dists.dss "np": N=noun, J=adjective, D=adverb; "J, J N" carries the comma. */
const NOUN_PHRASES = [
    ['N', 10],
    ['J N', 20],
    ['J, J N', 10],
    ['D J N', 50],
];
/** dists.dss "vp": V=verb, X=auxiliary, D=adverb. */
const VERB_PHRASES = [
    ['V', 30],
    ['X V', 1],
    ['V D', 40],
    ['X V D', 1],
];
/** Size of the shared comment pool in bytes. */
export const TEXT_POOL_BYTES = 4 * 1024 * 1024;
const TEXT_POOL_SEED = 19920101;
let cached;
/** The shared pool (built on first use, then reused by every table and part). */
export function textPool() {
    cached ??= buildTextPool(TEXT_POOL_BYTES, TEXT_POOL_SEED);
    return cached;
}
/** Builds `size` bytes of grammatical TPC-H text, deterministically from `seed`. */
export function buildTextPool(size, seed) {
    const rng = new UnitRng();
    rng.reseed(seed, StreamSalt.TEXT_POOL, 0);
    const pool = new Uint8Array(size);
    let pos = 0;
    // Bytes go straight into the pool (no strings per sentence): the pool is built once per
    // process and a few MB of regex/concat work would dominate a small generation.
    const put = (word) => {
        for (let i = 0; i < word.length && pos < size; i++)
            pool[pos++] = word[i];
    };
    const space = () => {
        if (pos < size)
            pool[pos++] = 32;
    };
    const pick = (words) => words[rng.int(0, words.length - 1)];
    const phrase = (shape) => {
        for (let k = 0; k < shape.length; k++) {
            const sym = shape[k];
            switch (sym) {
                case 78: // N: noun
                    put(pick(NOUN_B));
                    break;
                case 74: // J: adjective
                    put(pick(ADJECTIVE_B));
                    break;
                case 68: // D: adverb
                    put(pick(ADVERB_B));
                    break;
                case 86: // V: verb
                    put(pick(VERB_B));
                    break;
                case 88: // X: auxiliary
                    put(pick(AUXILIARY_B));
                    break;
                default: // literal bytes of the shape: ' ' and ','
                    if (pos < size)
                        pool[pos++] = sym;
            }
        }
    };
    while (pos < size) {
        const sentence = pick(SENTENCE_SHAPES);
        for (let k = 0; k < sentence.length; k++) {
            const sym = sentence[k];
            if (sym === 78)
                phrase(pick(NOUN_PHRASE_SHAPES));
            else if (sym === 86)
                phrase(pick(VERB_PHRASE_SHAPES));
            else if (sym === 80) {
                // P: "<preposition> the <noun phrase>"
                put(pick(PREPOSITION_B));
                put(THE);
                phrase(pick(NOUN_PHRASE_SHAPES));
            }
            else if (sym === 84)
                put(pick(TERMINATOR_B));
            else if (sym === 32)
                space();
        }
        space();
    }
    return pool;
}
const enc = (s) => Uint8Array.from(s, (ch) => ch.charCodeAt(0));
const NOUN_B = NOUNS.map(enc);
const VERB_B = VERBS.map(enc);
const ADJECTIVE_B = ADJECTIVES.map(enc);
const ADVERB_B = ADVERBS.map(enc);
const PREPOSITION_B = PREPOSITIONS.map(enc);
const AUXILIARY_B = AUXILIARIES.map(enc);
const TERMINATOR_B = TERMINATORS.map(enc);
const THE = enc(' the ');
/** Shapes expanded by weight, so a uniform pick is a weighted pick. The terminator joins the
 * word before it: "N V T" is written "N VT". */
const expand = (table, fix) => table.flatMap(([shape, weight]) => Array.from({ length: weight }, () => enc(fix(shape))));
const SENTENCE_SHAPES = expand(SENTENCES, (s) => s.replace(' T', 'T'));
const NOUN_PHRASE_SHAPES = expand(NOUN_PHRASES, (s) => s);
const VERB_PHRASE_SHAPES = expand(VERB_PHRASES, (s) => s);
//# sourceMappingURL=text-pool.js.map