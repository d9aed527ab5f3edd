// Short everyday messages for training only: greetings, acknowledgements, one-word commands, quick
// questions and task instructions ("Say hello", "Translate to French", "Use the calculator to add 2
// and 3"). The public sets hold almost no text this short, so without these a handful of n-grams
// decides the score and "hello" or "yes" lands on the attack side. Generated from seeded
// compositions, never validated on; bench/safety.ts measures on bench/fixtures/benign-chat.txt.
import { seeded } from "../bench/lib/pii-synthetic";

type Part = string[];

const GREETING: Part = [
  "hi",
  "hello",
  "hey",
  "hiya",
  "howdy",
  "good morning",
  "good afternoon",
  "good evening",
  "morning",
  "evening",
  "greetings",
  "hey hey",
  "hello again",
];
const TO: Part = ["", "", " there", " everyone", " team", " all", " friend", " assistant", " Sam", " bot"];
const SMALL_TALK: Part = [
  "",
  "",
  " how are you?",
  " how's it going?",
  " what's up?",
  " nice to meet you",
  " quick question",
  " are you there?",
  " hope your day is going well",
];
const REPLY: Part = [
  "ok",
  "okay",
  "k",
  "yes",
  "yep",
  "yeah",
  "yup",
  "no",
  "nah",
  "no thanks",
  "sure",
  "of course",
  "thanks",
  "thank you",
  "thx",
  "great",
  "cool",
  "nice",
  "awesome",
  "perfect",
  "got it",
  "sounds good",
  "makes sense",
  "fair enough",
  "agreed",
  "right",
  "exactly",
  "lol",
  "haha",
  "hmm",
  "wow",
  "oh",
  "oops",
  "my bad",
  "bye",
  "goodbye",
  "see you",
  "see ya later",
  "good night",
  "talk soon",
  "that's all",
  "all good",
  "not really",
  "maybe",
  "I see",
  "interesting",
  "good job",
  "well done",
  "love it",
  "that works",
];
const COMMAND: Part = [
  "go",
  "go on",
  "go ahead",
  "continue",
  "keep going",
  "carry on",
  "proceed",
  "next",
  "more",
  "again",
  "retry",
  "try again",
  "stop",
  "wait",
  "pause",
  "resume",
  "undo",
  "redo",
  "start over",
  "repeat",
  "done",
  "help",
  "cancel",
  "skip",
  "finish it",
  "shorter",
  "longer",
  "simpler",
  "expand",
  "elaborate",
];
const VERB_OBJECT: [string, Part][] = [
  ["say", ["hello", "hi", "hello to Maria", "goodbye", "thanks to the team", "something nice", "it again"]],
  ["summarise", ["this", "that", "the article", "the thread", "it", "the meeting notes", "the document"]],
  ["summarize", ["this", "the email", "the chat", "the PDF", "page 3"]],
  ["translate", ["this", "it", "the title", "this sentence", "the menu", "that paragraph"]],
  ["rewrite", ["this", "it", "the intro", "the last sentence", "my bio"]],
  ["explain", ["this", "that", "the error", "the code", "it simply", "the joke", "step 2"]],
  ["write", ["a haiku", "a poem", "a story", "an email", "a tweet", "a limerick", "a slogan", "a caption"]],
  ["tell me", ["a joke", "a story", "a fun fact", "more", "something interesting", "the time", "a riddle"]],
  ["give me", ["an example", "ideas", "a summary", "a list", "three options", "a hint", "feedback"]],
  ["show", ["me", "the results", "the chart", "the list", "my tasks", "the logs", "the status", "the report"]],
  ["print", ["the report", "the table", "the list", "the receipt", "the invoice", "page 2"]],
  ["open", ["the file", "the report", "settings", "the dashboard", "my calendar"]],
  ["list", ["my tasks", "the files", "the options", "open tickets", "the steps", "my meetings"]],
  ["check", ["my spelling", "the grammar", "the weather", "my calendar", "the status", "this"]],
  ["fix", ["the typo", "this", "the bug", "the formatting", "the grammar"]],
  ["make it", ["shorter", "longer", "funnier", "formal", "casual", "simpler", "bold", "rhyme"]],
  ["add", ["milk to the list", "a title", "a conclusion", "an example", "a row", "comments"]],
  ["delete", ["the draft", "that", "the last line", "the file", "the reminder"]],
  ["send", ["it", "the summary", "the email", "the file", "a reminder"]],
  ["run", ["the tests", "the script", "it again", "the query", "the report"]],
  ["deploy", ["to staging", "it", "the fix", "to production"]],
  ["find", ["my invoice", "the file", "flights to Rome", "a recipe", "the bug"]],
  ["search", ["the docs", "for flights", "the web", "for cafes nearby", "my notes"]],
  ["remind me", ["at 5", "tomorrow", "in an hour", "to call mom", "about the meeting"]],
  ["schedule", ["a call", "a meeting with Ana", "it for Monday", "a reminder"]],
  ["book", ["a table", "a room", "a flight", "a taxi"]],
  ["describe", ["the image", "the chart", "this photo", "the process"]],
  ["count", ["the words", "to ten", "the rows", "the items"]],
  ["calculate", ["the total", "the tip", "my BMI", "the average"]],
];
const TRANSLATE_TO: Part = ["French", "Spanish", "German", "Italian", "Japanese", "English", "Portuguese", "Dutch"];
const POLITE_BEFORE: Part = ["", "", "", "please ", "can you ", "could you ", "now ", "ok, ", "pls ", "just "];
const POLITE_AFTER: Part = ["", "", "", " please", " for me", " thanks", " now", " again", " quickly"];
const END: Part = ["", "", "", ".", "!", "?", "!!", " :)", "..."];
const TOPIC: Part = [
  "rain",
  "the sea",
  "cats",
  "spring",
  "coffee",
  "Mondays",
  "the moon",
  "my dog",
  "autumn",
  "code",
  "friendship",
];
const TOOL_USE: Part = [
  "Use the calculator to add {n} and {n}",
  "use the calculator: {n} * {n}",
  "What is {n}*{n}?",
  "what's {n} + {n}",
  "{n}+{n}",
  "{n} divided by {n}?",
  "What is {n}% of {n}?",
  "Fetch {url}",
  "fetch {url} and summarise it",
  "Open {url}",
  "what's on {url}?",
  "Search the web for {topic}",
  "Look up {topic}",
  "Translate to {lang}",
  "translate this into {lang}",
  "in {lang} please",
  "Answer in {lang}",
  "Reply only in {lang}",
  "Write a haiku about {topic}",
  "a poem about {topic}?",
  "Be more {style}",
  "be more {style} from now on",
  "Keep it {style}",
  "Don't use {avoid}",
  "no {avoid} please",
  "Use bullet points",
  "Answer in one sentence",
  "Keep answers under {n} words",
];
const STYLE: Part = ["concise", "formal", "casual", "brief", "friendly", "detailed", "polite", "direct"];
const AVOID: Part = ["emojis", "jargon", "markdown", "bullet points", "exclamation marks", "tables"];
const URL: Part = [
  "https://example.com",
  "https://example.org/docs",
  "https://en.wikipedia.org/wiki/Octopus",
  "http://localhost:3000",
  "example.com/pricing",
  "https://news.example.net/today",
];
const QUESTION: Part = [
  "who are you?",
  "are you a bot?",
  "are you human?",
  "what can you do?",
  "what's your name?",
  "how does this work?",
  "what time is it?",
  "what day is it?",
  "why?",
  "how?",
  "what?",
  "really?",
  "what do you mean?",
  "can you help me?",
  "can you hear me?",
  "is it done?",
  "any updates?",
  "what's next?",
  "where was I?",
  "did it work?",
  "what's the weather like?",
  "how old is the universe?",
];
const ASIDE: Part = [
  "ignore that",
  "ignore my last message",
  "sorry, ignore that",
  "forget it",
  "forget that, wrong chat",
  "never mind",
  "scratch that",
  "disregard the typo",
  "I forgot my password",
  "I forgot my login",
  "skip the intro",
  "drop the last point",
  "don't worry about it",
];

/** `count` distinct short messages (seeded), in mixed case and punctuation. */
export function shortChat(count: number, seed = 11): string[] {
  const r = seeded(seed);
  const pick = <T>(xs: T[]) => xs[Math.floor(r() * xs.length)] as T;
  const fill = (template: string) =>
    template.replace(/\{(\w+)\}/g, (_, slot: string) => {
      if (slot === "n") return String(Math.floor(r() * (r() < 0.5 ? 10 : 1000)));
      const parts: Record<string, Part> = { url: URL, topic: TOPIC, lang: TRANSLATE_TO, style: STYLE, avoid: AVOID };
      return pick(parts[slot] ?? [slot]);
    });
  const makers: (() => string)[] = [
    () => `${pick(GREETING)}${pick(TO)}${r() < 0.5 ? "," : ""}${pick(SMALL_TALK)}`,
    () => pick(REPLY),
    () => `${pick(REPLY)}, ${pick(r() < 0.5 ? COMMAND : REPLY)}`,
    () => `${pick(POLITE_BEFORE)}${pick(COMMAND)}${pick(POLITE_AFTER)}`,
    () => {
      const [verb, objects] = pick(VERB_OBJECT);
      return `${pick(POLITE_BEFORE)}${verb} ${pick(objects)}${pick(POLITE_AFTER)}`;
    },
    () => `${pick(POLITE_BEFORE)}translate ${r() < 0.5 ? "this " : ""}to ${pick(TRANSLATE_TO)}`,
    () => `${pick(POLITE_BEFORE)}write a haiku about ${pick(TOPIC)}`,
    () => fill(pick(TOOL_USE)),
    () => pick(QUESTION),
    () => `${pick(ASIDE)}${pick(END)} ${r() < 0.5 ? fill(pick(TOOL_USE)) : pick(QUESTION)}`,
  ];
  const casing = (s: string) => {
    const x = r();
    if (x < 0.45) return s.charAt(0).toUpperCase() + s.slice(1);
    if (x < 0.5) return s.toUpperCase();
    return s;
  };
  const out = new Set<string>();
  for (let tries = 0; out.size < count && tries < count * 20; tries++) out.add(casing(`${pick(makers)()}${pick(END)}`));
  return [...out];
}
