// Site search with Pagefind, loaded on the search page only, from our own host.
// The page works without this script: it then says search needs JavaScript
// and links to the lists.

const form = document.getElementById("site-search");
if (form) {
  start(form).catch(() => showStatus(form.dataset.error));
}

function showStatus(text) {
  document.getElementById("search-status").textContent = text;
}

async function start(form) {
  const pagefind = await import(form.dataset.pagefind);
  // The script's name carries its content hash (for long caching), so
  // Pagefind cannot find its bundle from the name: say where it is.
  await pagefind.options({ basePath: form.dataset.pagefindBase });
  // A large archive's index comes in several bundles (shards): merge them.
  for (const bundle of form.dataset.pagefindMerge.split(" ").filter(Boolean)) {
    await pagefind.mergeIndex(bundle);
  }
  await pagefind.init();
  document.querySelector(".search-needs-js").hidden = true;
  form.hidden = false;

  const input = form.elements.q;
  const type = form.elements.type;
  const year = form.elements.year;
  const list = document.getElementById("search-results");

  // Type and year come from each page's metadata (data-pagefind-meta): the
  // results are filtered here, reading result data until enough match.
  const SHOWN = 30;
  const SCANNED = 300;

  async function run() {
    const query = input.value.trim();
    if (!query) {
      list.replaceChildren();
      showStatus(form.dataset.empty);
      return;
    }
    const search = await pagefind.search(query);
    const matches = [];
    let count = 0;
    for (const result of search.results.slice(0, SCANNED)) {
      const data = await result.data();
      if ((type.value && data.meta.type !== type.value) || (year.value && data.meta.year !== year.value)) {
        continue;
      }
      count += 1;
      if (matches.length < SHOWN) matches.push(data);
      if (!type.value && !year.value && matches.length === SHOWN) {
        count = search.results.length;
        break;
      }
    }
    list.replaceChildren(...matches.map((data) => render(data, form)));
    showStatus(count ? form.dataset.found.replace("{count}", String(count)) : form.dataset.none);
    const address = new URL(location.href);
    address.searchParams.set("q", query);
    history.replaceState(null, "", address);
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    run();
  });
  const asked = new URLSearchParams(location.search).get("q");
  if (asked) {
    input.value = asked;
    run();
  }
}

// A result as a list item: its title, its type and date, and an excerpt whose
// <mark> highlights become elements; everything else is text (never parsed
// as HTML).
function render(data, form) {
  const joins = form.hasAttribute("data-joins-words");
  const item = document.createElement("li");
  const title = document.createElement("a");
  title.href = data.url;
  title.textContent = joins ? joinWords(data.meta.title || data.url) : (data.meta.title || data.url);
  const heading = document.createElement("h2");
  heading.className = "search-results__title";
  heading.append(title);
  const about = document.createElement("p");
  about.className = "search-results__meta";
  const typeOption = [...form.elements.type.options].find((option) => option.value === data.meta.type);
  about.textContent = [typeOption && typeOption.value ? typeOption.textContent : "", data.meta.date || ""]
    .filter(Boolean).join(" · ");
  const excerpt = document.createElement("p");
  excerpt.className = "search-results__excerpt";
  const parts = fromWordStart(joins ? joinWords(data.excerpt) : data.excerpt, data)
    .replace(/<\/mark>(\s*)<mark>/g, "$1")
    .split(/(<mark>|<\/mark>)/);
  let marked = false;
  for (const part of parts) {
    if (part === "<mark>") marked = true;
    else if (part === "</mark>") marked = false;
    else if (part) {
      const text = document.createTextNode(decode(part));
      if (marked) {
        const mark = document.createElement("mark");
        mark.append(text);
        excerpt.append(mark);
      } else {
        excerpt.append(text);
      }
    }
  }
  item.append(heading, about, excerpt);
  return item;
}

// Japanese pages are indexed cut into words with spaces between them
// (plugins/search/segment.py): a space next to a Japanese character is one
// of those, and goes (highlights of neighbouring words then touch, and are
// joined above, so a highlight never shows a gap inside a word).
const JAPANESE = "[\\p{sc=Han}\\p{sc=Hiragana}\\p{sc=Katakana}\\u3000-\\u303f\\uff00-\\uffef]";
const MARKS = "(?:</?mark>)*";
// (Not the space after a full stop: Pagefind puts ". " between blocks.)
const WORD_GAP = new RegExp(`(?<=${JAPANESE}${MARKS}) (?=${MARKS}\\S)|(?<=[^\\s.]${MARKS}) (?=${MARKS}${JAPANESE})`, "gu");

function joinWords(text) {
  return text.replace(WORD_GAP, "");
}

// An excerpt taken from the middle of the text starts after the first
// sentence or clause break before the first highlight, when there is one
// near the start, so that it does not open on the tail of a sentence.
const BREAK = /[。、．，！？.!?:：]\s*/u;

function fromWordStart(excerpt, data) {
  if (data.content.startsWith(data.plain_excerpt)) return excerpt;
  const firstMark = excerpt.indexOf("<mark>");
  const head = firstMark < 0 ? excerpt : excerpt.slice(0, firstMark);
  const found = BREAK.exec(head.slice(0, 40));
  return "… " + (found ? excerpt.slice(found.index + found[0].length) : excerpt);
}

function decode(text) {
  const area = document.createElement("textarea");
  area.innerHTML = text;
  return area.value;
}
