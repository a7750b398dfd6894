"""Every speed shortcut Declutter takes, the figure that justified it, what an upgrade re-checks.

A cache hit must cost close to what a trivial Flask endpoint costs (issue 6: 80% of its rate), so
the hit path steps around parts of Flask and werkzeug and remembers work per worker. Each shortcut
below was measured when it went in (the figure is its commit message's; ``git log -S`` on the name
finds the commit); those marked "no figure" were never measured alone. ``CHECKED_AGAINST`` names
the Flask and werkzeug versions this list was last checked against: tests/test_shortcuts.py fails
when the installed ones differ in major or minor version, so an upgrade starts here.

Shortcuts that reshape Flask or werkzeug (re-check each on an upgrade):

1. Merged hook lists, ``hooks.chain``: the app's before and after request hooks run as one of each.
   Figure: Flask's per-hook dispatch cost about as much as the hooks' own work on a hit (52a685a).
   Re-check: Flask still keeps app-wide hooks in ``before_request_funcs[None]`` and
   ``after_request_funcs[None]``, runs the first that answers as the answer, and runs after hooks
   last-added first; tests/test_hooks.py.
2. Memoised ``ensure_sync`` (``hooks.ensure_sync``, set in ``hooks.chain``): whether a view or
   hook is a coroutine is asked once per function. Figure: with the request counter folded into
   the latency histogram, 1.580M -> 1.564M instructions a hit under gunicorn (1bb5083).
   Re-check: ``Flask.ensure_sync`` is still a pure function of the function it is given and still
   called per hook and per view.
3. A custom request class, ``store.hot.Request``: ``args`` parsed once per distinct query string
   (``hot.parse_query``). Figure: the parse of a hot page's ``/read?url=...`` was ~4% of a hit
   under gunicorn (fad9adf). Re-check: werkzeug's ``Request.args`` still parses as
   ``parse_qsl(..., keep_blank_values=True, errors="werkzeug.url_quote")`` into an
   ``ImmutableMultiDict`` (the ``werkzeug.url_quote`` codec error handler must still exist);
   tests/test_hot.py compares the two.
4. Headers added below Flask, ``hooks.on_answer`` / ``hooks.AnswerHooks``: the security headers and
   ``X-Request-ID`` are appended to the WSGI header list as the answer starts, after werkzeug has
   checked the view's. Figure: with 5 below, a hit 1.64M -> ~1.34M instructions in-process through
   gunicorn's parser and access log (3dc13fe). Re-check: werkzeug still hands ``start_response`` a
   plain list of ``(name, value)`` pairs; tests/test_hooks.py (security headers on every answer).
5. An override of werkzeug's header copy, ``headers.ArticleResponse.get_wsgi_headers`` (and
   ``headers.NotModified``): an article's answer sends its headers as they are instead of werkzeug's
   checked copy, dropping a 304's entity headers itself. Figure: with 4 (3dc13fe); ``headers.add``
   instead of ``extend`` costs half per header (no figure beyond that). Re-check: diff werkzeug's
   ``Response.get_wsgi_headers``: anything it newly does (beyond making ``Location`` absolute,
   ``Content-Length`` and a 304's entity headers) must be done here or the override dropped.
6. The 304 decided before any body is made, without ``make_conditional`` unless the request has
   other conditional headers (``headers.article_answer``). No figure alone (f1518ff); a 304 costs
   what a hit costs in instructions (README, Performance). Re-check: werkzeug's ``ETags`` API
   (``parse_etags``, ``contains_weak``) and ``remove_entity_headers``.
7. Flask's context proxies read once per function (``request._get_current_object()``): one read
   through a proxy costs some twenty plain ones (1.7 us against 0.08 us, hooks.py). Re-check:
   ``LocalProxy._get_current_object`` still exists.
8. No Flask session opened per request, ``auth.NoSessions`` (dd23814, no figure). Re-check: Flask's
   ``SessionInterface`` still has ``open_session`` and ``save_session`` with these signatures.

Memos kept per worker (each an ``lru_cache`` or a few seconds of memory; bounded, keyed by values
that repeat on a hot path). tests/test_shortcuts.py fails when a new ``lru_cache`` in ``proxy`` is
not named here:

- ``urls._page_url``: the URL a reader sends, parsed and normalised once (issue 16's one read path;
  it took the place of the cache's ``_validated``, from 2c36eb7, URL validated once per hot URL).
- ``hot.parse_query``: 3 above.
- ``keys._host_and_digest``, ``reader._page``, ``render.as_html``, ``headers.article_etag``: the
  cache key's digest, the reader page's bytes and the ETag per article. Figure: CPU per hit
  in-process 2.6 -> 1.3 ms (2211672).
- ``headers.article_tags``, ``headers.etags``: an article's headers and a parsed If-None-Match
  (3dc13fe, 4 above).
- ``HotArticles`` (``hot.py``, 2 s, 256 articles) and ``Article`` remembering its hash: a hot
  article found by identity. Figure: in-process callgrind 481k -> 444k instructions a hit (c27599c).
- ``feedview.options_for``, ``feedview.answer_tags``, ``feedview._encoded`` and ``feeds._answers``:
  a polled feed's options, validators and bytes. Figure: a feed 304's CPU 94% of an article 304's
  (8d5f31f).
- ``metrics.series``: a Prometheus series looked up once (``labels()`` checks and locks; 2c36eb7,
  no figure alone).
- ``ratelimit._trusted``, ``ratelimit.client_key``: a client address parsed once; counters batched
  per worker (``store/counters.py``): a hit 19K -> 12K instructions for the limits (c55fa01).
- ``hosts.allowed``: a Host value's verdict (6f7610a, no figure).
- ``netguard.canonical_host``, ``netguard._entries``: host names and host lists in one spelling
  (f74cb69, no figure; a miss's cost, not a hit's).
- ``clean._names_are_chrome``, ``clean._name_tokens``: class and id values judged once per distinct
  value. Figure: 1.1% fewer instructions for the pipeline (58b5db1).
- ``caseless._matched``, ``caseless._found``: each promo rule's answer per text (1,024 texts per
  rule): the article pass asks a block's text again as its wrappers' (``<div><p>``) and in later
  passes, two asks in five on modern-web-dev (issue-13 s-prune). Figure: instructions per page
  355M -> 349M on modern-web-dev (x0.983), 126M on boilerplate-990 (unchanged: few repeats).
- ``clean.shape_names``: a class or id value without its numbers, made once per distinct value
  for the page pass's runs of same-shape blocks. Figure: 0.53 -> 0.20 ms a median page (issue-13s;
  with the walk below, instructions per page x0.978 on modern-web-dev, x0.989 on boilerplate-990).

Shortcuts inside readability-lxml's steps (re-check each on a readability-lxml upgrade, which
pyproject.toml keeps below 0.10; each keeps its output, checked on all 1,513 dev pages):

- ``readable.py``: its whitespace ``clean`` runs a regex only where one can match; its retry of a
  short article is skipped (with our subclass it repeats the same steps); its scoring measures each
  link's text once; its quote-lead search judges each ancestor once. Figure: Declutter's
  instructions per page x0.94 on both dev sets, ratio to trafilatura 1.40 -> 1.32 on
  modern-web-dev (2d9ef48, 88a40fc). Re-check: diff ``Document._clean``/``score_paragraphs``/
  ``get_link_density`` against the versions the module's comments name.
- ``readable._has_white_block``: readability-lxml's ``clean`` shortens runs of 255 white space
  characters or more with a regex that tries every white space character of a long text; such a
  run holds one of the text's aligned blocks of 128 characters whole, so the regex runs only on
  a text one of whose blocks is all white space (none of the sample's). That regex was 70% of the
  collapse's instructions. Figure: instructions per page 322M -> 313M on modern-web-dev
  (x0.972), 118M -> 115M on boilerplate-990 (x0.975) (issue-13 s-read). Re-check: nothing on an
  upgrade; tests/test_readable.py compares the collapse with readability-lxml's regexes for runs
  of 127 to 300 characters at every offset.
- ``readable._name_weight``, ``readable._NEGATIVE_NAMES`` / ``_POSITIVE_NAMES``: readability-lxml's
  weight of a class and id pair (its ``class_weight`` without keywords, and the negative word of
  an id) asked of its two patterns of words through ``caseless.Caseless`` (an ASCII or Latin-1
  name lower-cased, searched case-sensitive; others as readability-lxml searches them, and the
  answers kept as for rules.py's patterns): a case-insensitive search tries both cases of every
  letter and was some five times slower on the sample's names (Tailwind names run to thousands
  of characters). Figure, with two tests reordered in ``readable._prose_wrappers`` and
  ``_body_paragraph_wrappers`` (the cheaper first): instructions per page 296M -> 292M on
  modern-web-dev (x0.986), 110M -> 108M on boilerplate-990 (x0.982)
  (issue-13 s-readable). Re-check on an upgrade: ``Document.class_weight`` and
  ``REGEXES["negativeRe"]`` and ``["positiveRe"]`` (``Caseless`` refuses a pattern it cannot
  lower-case, at import); tests/test_readable.py compares the weights with
  ``Document.class_weight`` on generated names.
- ``_Readability.sanitize`` (``readable.py``): readability-lxml's final cleaning of the chosen
  article, the same steps, tests and order, its last loop (each table, list, <div>, <aside>,
  <header>, <footer> and <section>) taking an element's ``text_content`` once for its comma
  count, its length and its link density (readability-lxml took it three times and collapsed its
  white space twice), and counting images, list items, inputs (hidden ones only when the inputs
  could decide), embeds and links' text only when its test is reached. Figure: instructions
  per page 275.3M -> 271.8M on modern-web-dev (x0.987), 103.0M -> 102.3M on boilerplate-990
  (x0.993) (issue-13 s-sanitize2). Re-check on an upgrade: ``Document.sanitize``;
  tests/test_readable.py compares it with readability-lxml's on the fixture and quality pages
  (the chosen article and the whole body) and on generated blocks.
- ``_Readability._parse`` (``readable.py``, issue-13 s-pre): readability-lxml's preparation of
  the page it is given as a tree, the same steps: its hidden elements found by their attributes
  (``//@hidden/..``, then ``//@style/..`` for the styles that hide), where its ``//*[@hidden]``
  and ``//*[@style]`` tested every element, and the <base>s lxml's ``resolve_base_href`` applies
  found by lxml's walk of that one tag (``_resolve_base_href``) instead of an XPath that tested
  every element twice (once for XHTML's namespace, which an HTML parser never gives). Figure:
  instructions per page 271.38M -> 268.90M on modern-web-dev (x0.991), 104.60M -> 103.69M on
  boilerplate-990 (x0.991). Re-check on a readability-lxml upgrade: ``Document._parse`` (and
  lxml's ``HtmlMixin.resolve_base_href``); tests/test_readable.py compares the two on pages with
  hidden elements, hiding styles and <base>s.
- ``_Readability.tags``, ``reverse_tags`` and ``readable._count`` (issue-13 s-pre):
  readability-lxml's elements of a tag below a node (``findall(".//tag")``, a list made when the
  tag's turn comes) found by lxml's walk of the tag (``iterdescendants``), without ElementPath's
  path parsing and generators around it, as are the counts and links its final cleaning and
  link density read. Figure: instructions per page 266.31M -> 264.95M on modern-web-dev
  (x0.995), 102.11M -> 101.70M on boilerplate-990 (x0.996). Re-check on a readability-lxml
  upgrade: ``Document.tags`` and ``reverse_tags``; tests/test_readable.py compares them, with
  drops between the tags.
- ``pageclean.FastCleaner`` (readability-lxml's module-level ``html_cleaner``, set by
  ``readable.py``): lxml_html_clean's Cleaner, which readability-lxml runs on its copy of the
  page, done in C (``strip_elements``, ``strip_attributes``) after one walk for the event
  attributes and links it changes, unless that walk finds something it treats apart (22 of the
  1,513 dev pages, pruned: an <object>, an SVG animation, a ``srcdoc``...); those go through the
  Cleaner. ``readable.py`` also collapses white space around newlines and runs of spaces without
  a regex (``_collapse_space``), makes readability's debug names only when its debug log is on
  (``_describe``, ``_debug_text``) and keeps readability's weight per class and id pair for its
  page (``_Readability.class_weight``: 63% of its weighings repeat a pair);
  ``pipeline._too_few_words`` counts words up to the minimum. Figures (instructions per page):
  the Cleaner in C on 1,132 pages, the collapse, the debug names and the word count 423.8M ->
  387.4M on modern-web-dev (x0.914), 207.3M -> 190.6M on boilerplate-990 (x0.920); then (after
  the parsing shortcuts below) links rewritten in C too and the weights kept 373.2M -> 359.2M
  (x0.963), 183.3M -> 179.4M (x0.979). Re-check on an lxml_html_clean upgrade:
  ``Cleaner.__call__``'s steps for readability-lxml's settings (``pageclean.PLAIN_SETTINGS``);
  tests/test_pageclean.py compares the two ways.

Shortcuts in the pipeline's own plumbing (issue-13s; each keeps every Article field identical on
all 1,513 dev pages; figures: CPU time and callgrind instructions on 25 median pages of each set):

- ``htmltree.elements_kept`` and ``htmltree.keep`` (issue-13 s-speed): while ``pipeline.process``
  reads a page, the Python object of every element of the parsed page, of readability-lxml's
  cleaned copy of it (``_Readability._parse``) and of the article handed to the cleaning is held,
  so the twenty-odd walks over each (the metadata's, the media's, the pruning's, readability's,
  the paragraph fallback's, the cleaning's and the sanitiser's) reuse them instead of lxml making
  and freeing one per element per walk (a walk of 570 elements: 0.05 ms, 0.012 ms held). The
  objects are those lxml makes (one class, ``PARSER``'s); removed elements stay in memory until
  the page is done. Figure: instructions per page 255.6M -> 247.6M on modern-web-dev (x0.969),
  98.0M -> 94.9M on boilerplate-990 (x0.969), 14.69M -> 14.21M on tests/quality (x0.967),
  94.0M -> 91.9M on the 41 reader test pages (x0.978); the article's objects alone are
  x0.994-0.998 of that. Re-check on an lxml upgrade: a walk still reuses a held object (lxml's
  ``_elementFactory`` through the node's ``_private``); tests/test_speedpaths.py.

- ``sanitise._tokens`` walks the article for bleach's sanitiser filter, yielding html5lib's
  ElementTree walker's tokens without its per-node method calls. Figure: bleach's step 1.42 ->
  1.07 ms a median page (with ``clean.shape_names``: x0.978 / x0.989 instructions per page).
  Re-check on a bleach upgrade: its vendored html5lib's ``treewalkers/base.py`` and ``etree.py``;
  tests/test_sanitise.py compares the two walks.

- ``htmltree.UTF8_PARSER``: pages and fragments handed to libxml2 as UTF-8 bytes, not as a str's
  UCS-2 or UCS-4 buffer that libxml2 converts as it reads; ``dateline._elements_near`` walks the
  elements beside the headline instead of XPath's ``preceding::`` and ``following::`` axes (which
  walk the whole page), and ``first_headline`` is the first <h1> of ``iter``; ``hidden``'s
  ``_CONTROLS`` and ``_HIDDEN``, ``extract.LANDMARKS`` and ``shop._LANDMARKS`` find elements by
  their attributes (``//@role[. = 'main']/..``) rather than testing every element's. Figure:
  instructions per page 387.4M -> 373.2M on modern-web-dev (x0.963), 190.6M -> 183.3M on
  boilerplate-990 (x0.962). Re-check on an lxml upgrade: tests/test_speedpaths.py. Then
  ``shop._ITEMS``, ``_LD_NAMES_PRODUCT`` and ``_OG_TYPE`` likewise (``//@itemscope/parent::*``,
  ``//@type[...]/parent::script``, ``//@property[...]/parent::meta``): 353M -> 351M on
  modern-web-dev (every page with one main landmark asks them), 130M -> 130M on boilerplate-990.

- ``charset.Decoded`` (issue-13 s-parse): a page read from UTF-8 keeps those bytes, and
  ``extract.parse`` looks for control characters in them (one byte each, by ``memchr``; in a
  UCS-2 text the search for NUL went character by character) and hands them to libxml2 through
  ``htmltree.document``'s ``utf8`` instead of encoding the text again (``_stripped_utf8`` cuts the
  white space stripped at its ends, when that is ASCII). A page whose text parse changes
  otherwise (a control character, an XML declaration, a character or reference libxml2 must not
  see, non-ASCII space at an end) is encoded as before. Figure: instructions per page 297M ->
  292M on modern-web-dev (x0.983), 107M -> 107M on boilerplate-990. Re-check: nothing on an
  upgrade; tests/test_speedpaths.py parses pages of each kind both ways.

- ``pageclean._is_plain_web_link`` and ``extract._compose``'s text (issue-13 s-parse): a link
  that begins "http://" or "https://" and holds no other ":", no "%", "+", space or other white
  space or control character is one the Cleaner's link cleaning leaves as it is, so it is not
  unquoted and searched by its three regexes (about half the links that reached them), and the
  walk asks each attribute's name against the link names first and reads the link with ``get``;
  the article's text for its NFC check is ``text_content`` (one string made in C, the texts
  ``itertext`` gives joined). Figure: instructions per page 292M -> 287.4M on modern-web-dev
  (x0.984), 107M -> 106.2M on boilerplate-990 (x0.99; the link test alone 292M -> 289M).
  Re-check on an lxml_html_clean upgrade: ``Cleaner._remove_javascript_link`` and the patterns it
  uses (tests/test_pageclean.py checks the test against it); tests/test_speedpaths.py compares
  the texts.

- ``htmltree.PageElement`` (issue-13 s-pre): the element class ``PARSER`` and ``UTF8_PARSER``
  give every element, lxml.html's ``HtmlElement`` with its ``text_content`` taken by libxml2's
  text serialiser (``etree.tostring(method="text", with_tail=False)``) instead of lxml.html's
  XPath ``string()``: both gather the text with libxml2's ``xmlBufGetNodeContent`` and give a
  plain ``str``, while each XPath call sets up an evaluation context, some four times the cost
  of a short block's text (readability-lxml and every pass measure hundreds a page). Figure:
  instructions per page 268.90M -> 267.19M on modern-web-dev (x0.994), 103.69M -> 103.25M on
  boilerplate-990 (x0.996); the same text for all 321,798 elements of every 4th modern-web-dev,
  every 8th boilerplate-990 and every tests/quality page. Re-check on an lxml upgrade:
  ``HtmlMixin.text_content`` and ``_textToString``; tests/test_speedpaths.py compares the two.

- ``htmltree.fragment`` and ``readable._fragment_fromstring`` (readability-lxml's module-level
  ``fragment_fromstring``, set by ``readable.py``): the <div> a fragment is parsed into, and the
  one readability-lxml moves its article into, made by ``htmltree.PARSER``. lxml.html makes them
  with its own parser, and every element moved in then had its class chosen in Python whenever it
  was walked (~70,000 calls on 52 median modern-web-dev pages: readability's cleaning of the
  article, the text walk, sanitising). Figure: instructions per page 325M -> 322M on
  modern-web-dev (x0.991), 118M -> 118M on boilerplate-990 (issue-13 s-read). Re-check on an
  lxml upgrade: tests/test_speedpaths.py compares the trees with lxml.html's. Then
  (issue-13 s-speed) readability-lxml's empty "<div/>" is made by ``PARSER.makeelement``, not
  parsed into a document of its own (27 against 2 us a call, once per choice of article; nothing
  reads the <body> the parse put above it): 14.21M -> 14.13M instructions a tests/quality page
  (x0.995). Re-check on a readability-lxml upgrade: ``get_article`` still fills the <div> and
  hands it to ``sanitize``, which serialises it alone.

- Compiled XPaths (issue-13 s-speed): every XPath the content steps ask per page or per element
  is an ``etree.XPath`` made once at import (``readable._HEAD_METADATA``,
  ``_IN_MAIN_OR_ARTICLE``, ``byline._AUTHOR_ITEMS``, ``_ITEM_NAMES``, ``dateline._CARD_HEADINGS``
  and the rest): ``element.xpath(string)`` compiles its string on every call (16-22 us against
  8 us for the compiled one; the article's cleaning asks ``_IN_MAIN_OR_ARTICLE`` of each list
  and section, ``in_card`` asks ``_CARD_HEADINGS`` of each ancestor of a date near the
  headline). Re-check: nothing on an upgrade (the same expressions, the same nodes).

- ``lang._scores``: a page without a language tag has its language guessed from its common words,
  each distinct word looked up once per language rather than every word (2.5 times faster on a
  sample of 420 words; 15 of every 10th boilerplate-990 page's 99 guess, 23 of the 41 reader
  test pages). Re-check: nothing; tests/test_speedpaths.py compares the scores with counting
  every word.

- ``extract._main_text``'s landmarks and ``implied._own_length`` (issue-13 s-pre): the page's
  landmarks (``LANDMARKS``) found once for ``_whole_landmark`` and ``_whole_sections`` (adding
  the other parts of a split article copies them: the page between the two is the same), and the
  implied landmark's walk measures the body's text once, as its children's lengths and its own
  texts and tails (it measured the whole body, then each child again). Figure: instructions per
  page 267.19M -> 266.39M on modern-web-dev (x0.997), 103.25M -> 102.96M on boilerplate-990
  (x0.997). Then ``implied._raw_length``: an element's text measured as its ``text_content``,
  one string made in C, rather than as each text ``itertext`` makes into a string of its own (five
  times the time on boilerplate-990's bodies and their children): 266.39M -> 266.31M on
  modern-web-dev (whose pages have their landmarks), 102.96M -> 102.11M on boilerplate-990
  (x0.992). Re-check: nothing on an upgrade; tests/test_speedpaths.py compares the lengths with
  the whole text's and with ``itertext``'s.

- ``caseless.Caseless``: the article pass's promo rules asked of an ASCII block lower-cased once, by
  their patterns compiled case-sensitive (re's IGNORECASE tries each of a hundred alternatives at
  every word). Figure: x0.917 / x0.976 instructions per page (issue-13 s-clean, in its docstring).
  Re-check: nothing on an upgrade; tests/test_caseless.py compares the two on every rule.

- ``paragraphs._in_comments``'s ``seen``: per call of the paragraph fallback, whether an element or
  one above it is named as a comment section, so each ancestor the page's paragraphs share is
  asked once. Figure, with ``clean._is_leaf_block``'s one walk: x0.984 / x0.991 instructions per
  page (issue-13 s-clean). Re-check: nothing; it lives for one call.

- Extraction's reads kept for one step (issue-13 s-extract; each keeps every Article field
  identical on all 1,513 dev pages; none lives past its call): ``paragraphs.prose_of`` reads a
  block's children once for both its inline prose and its paragraph text, and ``_under`` keeps
  each ancestor's "outside the article" verdict as ``_in_comments`` does; ``teasers._Headlines``
  keeps each block's headings, its headlines (a long article's paragraphs each went through
  all of its headings, none a headline: 2.86 -> 2.13 s of CPU on tests/test_hostile.py's page
  of 30,000 elements) and each card's place in a grid; ``readable._code_blocks`` measures
  each ancestor of a code sample once; ``readable._block_holders`` goes from each block up. Figure:
  instructions per page 438M -> 409M on modern-web-dev (x0.934), 142M -> 138M on boilerplate-990
  (x0.972). Then ``readable._shorten_layout_space`` walks the body instead of XPath's ancestor test
  per text, and ``byline._names_byline`` judges each class and id pair once, splitting into words
  only names that hold a byline token as a substring: 409M -> 405M and 138M -> 137M. Re-check:
  nothing on an upgrade (tests/test_speedpaths.py compares the walks with XPath and the words).

- ``hidden.page_texts``: the page's texts outside scripts, styles, <noscript> and <template> (what
  a headline's hidden holder is weighed against) are the body's texts less those whose element is
  in one of them, not XPath's ancestor test of every text, which took 20-40 ms on a deeply nested
  modern-web-dev page (as long as the rest of its extraction; 5 of the 505 pages have a hidden
  headline holder to weigh, one of them in instr.sh's sample). Figure: instructions per page
  358M -> 353M on modern-web-dev, 130M -> 130M on boilerplate-990 (no page of its sample has one);
  the median page does not reach this step. Re-check: nothing on an upgrade;
  tests/test_speedpaths.py compares the two on texts of every kind.

- ``clean._Texts``: the article pass's questions about a block's text (its ``block_text``, words,
  characters, link share, whether it holds a <p>/<div> or a link) answered for every element of
  the article from one walk from the leaves up; a drop marks the block's ancestors stale, each
  measured again when next asked. The passes read each block's subtree once per question before
  (nested blocks once per wrapper). Figure, with the three below (issue-13 s-clean2):
  instructions per page 438M -> 384M on modern-web-dev (x0.877), 142M -> 134M on
  boilerplate-990 (x0.944). Re-check: nothing on an upgrade; tests/test_clean.py compares its
  answers with reading the subtree, before and after removals.

- ``clean._cut_with_ellipsis``: the teaser-run pass searches a block's text for
  ``rules.TEASER_END`` (an ellipsis ending a cut teaser) only when the text ends as a match must
  (``clean._TEASER_ENDINGS``: "...", "…" or "]", or one of them and a line break, for its ``$``):
  the search tried every character of every block of the article, some 40 us for a paragraph of
  500 characters, while few blocks end in an ellipsis. With it, ``clean.is_chrome`` asks an
  element's class and its id one at a time (their tokens are those of the two joined:
  ``_name_tokens`` splits at the space between them), so a class recurring on many elements is
  split once rather than once per id beside it; the page pass measures and judges one list of
  the page's elements; ``clean._read`` skips the texts that are only space. Figure:
  instructions per page 325M -> 316M on modern-web-dev (x0.972), 118M -> 115M on
  boilerplate-990 (x0.975); the article pass alone 568M -> 494M over 25 sample articles
  (x0.870), the page's judging 319M -> 295M over 27 sample pages (issue-13 s-clean3).
  Re-check: nothing on an upgrade; tests/test_speedpaths.py compares each with the plain way
  (the endings with the search, the names apart with the names joined).

- ``clean._drop_all``: the page pass drops a chrome element only when no element dropped before it
  holds it (a menu's items went with the menu): the page is the same, while each such drop
  rewrote tails in the removed subtree and lxml walked that subtree again to detach it (four
  drops in five on modern-web-dev's instr.sh sample); ``_dominant_repeats`` adds up the prose
  outside every chrome element only when a run of same-shape blocks holds enough of the page to
  need it; ``_prose_lengths`` splits no text or tail of space only (most are a line break).
  Figure: the page pass alone over instr.sh's 26 modern-web-dev pages 1034M -> 1004M (x0.971)
  for the drops and the outside prose, -> 978M with the space-only texts (x0.946 in all);
  instructions per page (instr.sh) 296M -> 294M on modern-web-dev, 110M -> 108M on
  boilerplate-990 (issue-13 s-prune).
  Re-check: nothing on an upgrade; tests/test_speedpaths.py compares the drops with dropping
  each element, in every order.

- ``clean._dominant_repeats`` (issue-13 s-clean): the page pass looks for a run of same-shape
  chrome blocks holding most of the page's prose (a thread's posts) only when the doomed blocks'
  prose, all added up, is more than that share: a run's outermost blocks hold no more than all of
  its blocks, nor these than all the doomed, so no run can pass; likewise a run whose blocks add
  up to no more is skipped before its blocks' ancestors are read. Before, every doomed block's
  shape (its tag and class without numbers) was made and every run of three had its ancestors
  read, on pages whose chrome is menus and links (117 of 207 page passes over every 5th
  boilerplate-990 page: the sum of all doomed prose is at most half the page's). Figure:
  instructions per page (instr.sh) 259.78M -> 257.04M on modern-web-dev (x0.989), 100.42M ->
  99.15M on boilerplate-990 (x0.987). Re-check: nothing on an upgrade; tests/test_speedpaths.py
  compares the runs kept with the plain reading of every run.

- ``text.pieces_word_count`` (and ``text.word_count`` through it): a text's words counted from its
  pieces between spaces, the article pass's ``clean._read`` handing it the pieces it splits
  anyway; a piece of word characters only (``str.isalnum``), or one but its last character, is
  one word, and only the other pieces (one in ten on modern-web-dev) are searched, where
  ``findall`` over the text made every word a string to count them (counting the texts of
  instr.sh's 26 modern-web-dev articles: 104M -> 55M instructions). With it,
  ``clean._is_placeholder`` takes a block's own text as its first piece when it is not blank
  (no generator over ``itertext``), and
  ``echoes.drop_echoes`` judges an outermost quote by the words it read before the drops, not
  read again (only quotes before it were dropped: its text is the same; 20 outermost quotes on 6
  of instr.sh's 26 modern-web-dev pages, ~13 us a page). Figure: the article pass alone
  (``clean.clean``) over instr.sh's 26 modern-web-dev pages 1066M -> 1003M (x0.941);
  instructions per page (instr.sh) 274M -> 272M on modern-web-dev, 102M -> 101M on
  boilerplate-990 (issue-13 s-article2).
  Re-check: a Python upgrade (what \\w matches); tests/test_speedpaths.py compares the count with
  ``findall`` and checks every character's class, and the quotes' judging with reading each again.

- ``sanitise._attributes`` and ``sanitise._text_token``: the walk hands bleach's filter neither
  the attributes no element may keep (class, style, data-*: it would drop them whatever their
  element) nor a text's surrounding spaces as tokens of their own, and puts back lxml's decoded
  "&" as it walks (``_escaped``) rather than in a pass over the tree; ``_allow_attribute`` looks
  its tag's names up in one set. Every element still passes bleach's filter, and every attribute
  that could be kept. Re-check on a bleach upgrade: its ``BleachSanitizerFilter`` (what it drops,
  merges and escapes) and html5lib's serialiser; tests/test_sanitise.py checks the output against
  bleach's on html5lib's own walk.

- ``sanitise._bleached``: bleach's filter asked of each token (``sanitize_token``, what its
  stream calls on every token) and the token written in the same loop, as its serialiser writes
  it (texts with html5lib's ``escape``, tags without attributes as ``<name>`` and ``</name>``;
  tags with attributes by the serialiser itself, one at a time), instead of four generators
  stacked per token (the filter's stream, its merge of adjacent texts, html5lib's serialiser and
  bleach's wrapper of it); ``sanitise._tokens`` walks with lxml's ``iterwalk`` and each tag's
  name split once. Texts are not merged (escaping goes character by character). A tree with an
  attribute valued ">" goes the stock way (``_stock_bleached``): bleach's wrapper takes that
  value for the tag's end and escapes what follows otherwise. Figure: bleach's step 3,198M ->
  2,388M instructions over 200 sample articles (x0.75); instructions per page 357M -> 349M on
  modern-web-dev, 130M -> 129M on boilerplate-990. Re-check on a bleach upgrade: its
  ``BleachSanitizerFilter.__iter__`` (what the stream does beside ``sanitize_token``) and
  ``BleachHTMLSerializer``, html5lib's ``HTMLSerializer.serialize`` for bleach's settings;
  tests/test_sanitise.py compares the two ways.

- ``sanitise._start_tag`` and ``sanitise._UNSAFE_NODES`` (issue-13 s-sanitise): a start tag with
  attributes is written as bleach's serialiser writes it (``name="value"``) when no value holds
  "&", "<" or a double quote (what the serialiser and bleach's wrapper escape) and no name is one
  html5lib writes bare; any other still goes to the serialiser, one tag at a time. The containers
  removed with their content, comments and processing instructions are found by lxml's ``iter``
  by name in C rather than by a Python test of every node (libxml2 names HTML elements in lower
  case, as the pipeline names those it makes). Every token still passes bleach's filter. Figure:
  the sanitiser 29.3M -> 26.7M instructions a page over every 5th modern-web-dev article
  (x0.91: 1.4M the C walk, 1.0M the tags); instructions per page 325M -> 323M on
  modern-web-dev, 118M -> 118M on boilerplate-990. Re-check on a bleach upgrade: html5lib's
  ``HTMLSerializer.serialize`` for bleach's settings (``quote_attr_values="always"``,
  ``escape_lt_in_attrs``) and ``BleachHTMLSerializer.serialize``; tests/test_sanitise.py
  compares both with the plain way.

- ``sanitise._URL_HOLDERS``: URLs made absolute on the elements an XPath finds holding one
  (lazy-load attributes promoted first), not by asking every element; ``text._walk`` appends to
  its block without a call per piece. Re-check: nothing. The XPath takes the parents of the
  URL attributes rather than testing each element for any of four (libxml2 evaluates the test
  per element): 275M -> 74M instructions over 200 sample articles; tests/test_speedpaths.py.

- ``sanitise._plain_scheme`` and ``sanitise._SanitizerFilter`` (issue-13 s-post): an absolute
  http(s) URL that urljoin gives back as it is (a host; no tab, line break, ";", bracket, empty
  query or fragment, nor character outside ASCII: what urlsplit removes, checks or drops) is
  kept without urljoin, which parsed it twice, put it together again and had urlsplit parse it
  a third time; bleach's filter keeps an http(s) URL whose host holds no "&" nor bracket when
  its scheme is allowed, without its normalising and parse (neither reaches the scheme or can put
  a bracket in the host). Figure: the sanitiser 2.99M -> 2.15M instructions a boilerplate-990
  page (instr.sh's sample, replayed); instructions per page 271.2M -> 267.2M on modern-web-dev
  (x0.985), 104.5M -> 103.7M on boilerplate-990 (x0.992). Re-check: a Python
  upgrade (``urlsplit``/``urlunsplit``: what they strip, check and drop); on a bleach upgrade
  its ``sanitize_uri_value`` and vendored ``parse.urlsplit``; tests/test_sanitise.py compares
  both with the plain way on URLs of every shape.

- ``maths.present`` (issue-13 s-post): a page read from UTF-8 (``charset.Decoded``), or an ASCII
  page copied into bytes, is searched for the markers of rendered maths in its bytes by the C
  library's ``strstr`` (through ctypes; glibc's compares many bytes an instruction), unless it
  holds a NUL byte (where strstr stops); other pages by ``in``, which tries each character in
  turn: four searches of a whole page were 1.3M instructions a boilerplate-990 page (over 1%).
  The markers are ASCII, found in UTF-8 only as themselves. Figure: the search 1.34M -> 0.40M
  instructions a page (instr.sh's boilerplate-990 sample); instructions per page 267.2M ->
  265.5M on modern-web-dev (x0.994), 103.7M -> 102.5M on boilerplate-990 (x0.988). Re-check:
  nothing on an upgrade (where ctypes finds no strstr, ``in`` is used); tests/test_speedpaths.py
  compares the answers with ``in`` on pages of each kind.

- ``text._collapsed``: a block's white space collapsed with ``str.split`` (which splits where the
  regexes' ``\\s`` matches), line by line, instead of two regular expressions over the block.
  Figure: ``tree_text`` 1,385M -> 628M instructions over 200 sample articles. Re-check: nothing
  on an upgrade; tests/test_speedpaths.py compares the two on every kind of space.

- ``markdown_body.OPTIONS``: html-to-markdown's twelve named styles given as its own values
  (``HeadingStyle.ATX``...), as its public ``ConversionOptions`` accepts, not as names: ``convert``
  reads a name into its value on every call by trying up to seven spellings of it as an attribute
  of the Rust class (~35 us a call, as long as converting a short article). Figure (issue-13
  s-post): the Markdown step 668K -> 393K instructions a tests/quality page (x0.59), 2,032K ->
  1,730K a boilerplate-990 one (x0.85). Re-check on an html-to-markdown upgrade:
  ``api._coerce_enum`` still returns a value of the class as it is; tests/test_speedpaths.py
  compares the output with the names'.

- ``sanitise._bleached``'s unasked tokens: the tokens bleach's filter gives back as they are
  (a tag of the allowlist without attributes, spaces, a text without "&" once its control
  characters are replaced by "?" as ``sanitize_characters`` replaces them) are written without
  calling ``sanitize_token``: 96-98% of the dev sets' tokens. Figure (issue-13 s-post): the
  sanitiser 781K -> 625K instructions a tests/quality page (x0.80), 3,998K -> 3,627K a
  boilerplate-990 one (x0.91). Re-check on a bleach upgrade: ``BleachSanitizerFilter``'s
  ``sanitize_token``, ``allow_token`` and ``sanitize_characters`` (``INVISIBLE_CHARACTERS_RE``);
  tests/test_sanitise.py compares the two ways on tokens of each kind.

- ``caseless._lowered``: a text whose characters but ASCII are all uncased (typographic quotes and
  dashes) takes the lower-cased fast path too (337 of 611 non-ASCII blocks of the sample).
  Re-check: nothing on an upgrade; tests/test_caseless.py checks that re folds no uncased
  character to a letter of the rules. Then (issue-13 s-prune) Latin-1's letters too ("für",
  "boletín": most of boilerplate-990's slow blocks): instructions per page 358M -> 355M on
  modern-web-dev (x0.992), 130M -> 126M on boilerplate-990 (x0.969). Re-check on a Python
  upgrade: tests/test_caseless.py checks each letter against re's case tables.

- ``dateline._dates_in``: a text node is searched for dates written in words (month names in
  several languages, tried at every letter) only when it holds a year, which every such date
  has. Figure: instructions per page 358M -> 355M on modern-web-dev (x0.992), 130M -> 127M on
  boilerplate-990 (x0.977; ``changes`` reads every text of a documentation page's body).
  Re-check: nothing on an upgrade; tests/test_speedpaths.py checks that every ``_ANY_DATE`` match
  holds a ``_YEAR`` one.

- ``byline._AUTHOR_ITEMS`` and ``dateline._DATETIMES``: the microdata authors and the body's
  elements with a datetime found from their attributes (``//@itemprop[. = "author"]/..``), as
  ``extract.LANDMARKS`` does, rather than by asking every element. Figure: instructions per page
  356M -> 352M on modern-web-dev (x0.989), 127M -> 125M on boilerplate-990 (x0.984). Re-check
  on an lxml upgrade: tests/test_speedpaths.py compares them with the plain XPath.

- The metadata's walks (issue-13 s-meta; each keeps every Article field identical on all 1,513 dev
  pages; times per modern-web-dev page, every 5th page, CPU time of the step alone; all of them:
  instructions per page 325M -> 316M on modern-web-dev (x0.972), 118M -> 115M on boilerplate-990
  (x0.975), the first paragraph's alone 317M and 115M):
  ``metadata.by_tag`` finds the meta tags, links and scripts the metadata reads in one walk (0.27
  ms each, 0.30 ms the three), and ``jsonld.objects`` finds its scripts by lxml's walk and their
  type, not XPath (0.38 -> 0.25 ms); ``byline._top_texts`` walks to the body's first texts from
  its first <body>, where XPath listed every text of the page (0.75 -> 0.5 ms, most of it the
  scripts' texts made into strings; XPath's way when that body has fewer), and ``byline._texts``
  reads them; ``byline._AUTHOR_LINKS`` finds ``rel="author"`` links from their rel attributes
  (0.47 -> 0.35 ms); ``byline._BYLINE_SUBSTRING`` asks a class and id pair for the byline tokens
  in one search. In the article's lead: ``lead._opens_as`` compares a block's first letter with
  the description's before reading all its words (``find_lead`` 0.84 -> 0.64 ms),
  ``lead._after_headline`` finds the headline in the walk after it (``find(".//h1")`` walks on
  through the whole page for a second <h1>: lxml's ``iter(tag)`` looks one match ahead) and makes
  no element of other tags, and ``find_standfirst`` walks its blocks' tags only. Then
  ``meta/walks.py``: the texts around the headline where the dateline reads its dates, and the
  few before a dated element (its label), walked to from the element instead of XPath's
  ``preceding::text()`` and ``following::text()``, which list every text of the page along the
  axis before counting (``dateline.shown`` 0.76 -> 0.56 ms); ``byline._top_texts`` walks with
  ``walks.texts``; ``walks.first`` finds the first <h1> (``dateline.first_headline``) by a walk
  that stops there, where ``next(iter("h1"))`` looks on through the whole page for a second
  (0.26 -> 0.17 ms); ``walks.first_text`` reads the <title> for ``title.find`` and
  ``extract._page_title`` (``findtext(".//title")`` looked on through the whole page: 0.19 ->
  0.005 ms, twice a page), and ``_page_title`` finds its <h1> with ``walks.first`` (0.25 -> 0.16
  ms; together about 0.45 ms of a median 37 ms modern-web-dev page). Re-check: lxml's iterator
  still looking one match ahead (else ``first`` is no faster); tests/test_speedpaths.py compares
  each with the plain way.

- The dates' refusals of htmldate's guess (issue-13 s-meta 2; every Article field identical on
  all 1,513 dev pages): ``dateline.changes`` (a page's "Last updated" days, read over the whole
  body where htmldate gave a guess on an unsigned page) takes the body's texts by
  ``//body/descendant::text()`` as plain strings (libxml2 merges a list of children per node for
  ``//body//text()[...]``, and a smart string makes an element of each text's parent) and reads
  the text before a date only beside one (``text_before``): 2.2x faster on the dev pages; and
  ``dates._published`` asks ``comment_days`` (now ``foreign_days``) and ``changes`` only of a
  guess that the declared and shown dates and the URL's month did not refuse already (each
  refusal refuses alone).
  Figure, with the listing test's <time> elements walked to by lxml rather than ``//time``:
  instructions per page 271.80M -> 271.46M on modern-web-dev (x0.9988), 104.97M -> 104.79M on
  boilerplate-990 (x0.9983; few pages of the samples reach ``changes``). Then ``walks.Marks``:
  the page's <h1>, <h2> and <time> elements found in ``metadata.by_tag``'s one walk and handed
  to ``title.find`` (its headings), ``byline.find`` (the headline a "by" line follows) and
  ``dates.find`` (``dateline.shown``'s headline, the listing test's <time> elements), each of
  which walked the page for them (lxml's ``iter("h1")`` walks on through the whole page for a
  next one, and ``walks.first(doc, "h2")`` made an element of every element of a page without
  an <h1>): 271.46M -> 270.57M on modern-web-dev (x0.9967), 104.79M -> 104.12M on
  boilerplate-990 (x0.9936). Re-check: nothing on an upgrade; tests/test_speedpaths.py compares
  them with the plain expressions and walks.

- The twelfth session's new steps made cheaper (issue-13 s-speed2; every Article field identical
  on all pages of modern-web-dev, boilerplate-990 and tests/quality; figures: instructions per
  page on every 20th modern-web-dev and every 40th boilerplate-990 page by id, the session's
  start 252.54M / 89.69M, main before these 258.09M / 92.84M):
  ``structured.structured_body`` and ``recipes.recipe_blocks`` search the whole page's text for
  their JSON-LD keys (four searches of a median 190,000 characters, about 0.35 ms) only when
  ``jsonld.may_hold`` finds a word of them in the JSON-LD scripts the metadata's walk found
  (``metadata.by_tag``, handed on by ``extract._ruled_page``), or an escape that could write
  one: without it no object can hold them, and the answer is none either way. Figure: 258.09M
  -> 257.46M (x0.998), 92.84M -> 92.49M (x0.996); switched off, the two steps cost 0.57M a
  modern-web-dev page. ``readable._wrappers`` measures a wrapper's ``text_length`` only when it
  holds more than the one element it wraps (``_wraps_alone``: the collapse strips the white
  space around that element; most of the best block's wrappers wrap one element, and each
  measure serialised and collapsed the article's whole text again; the step of
  ``_outer_openings``, switched off, cost 2.70M a modern-web-dev page): 257.46M -> 256.93M
  (x0.998), 92.49M -> 92.17M (x0.997). ``byline._squeeze`` (the site's and the headline's names
  compared) drops what is not a letter or digit with one regex (``[^\\W_]`` kept: what
  ``str.isalnum`` keeps) instead of a test per character: 256.93M -> 256.64M (x0.999), 92.17M ->
  91.88M (x0.997). Re-check: nothing on an upgrade; tests/test_speedpaths.py checks ``may_hold``
  against the objects read, ``_wraps_alone``'s lengths over white space of each kind, and
  ``_squeeze`` over every character.

- The thirteenth session's thread detector made cheaper (issue-13 speed13; every Article field
  identical on all 1,656 pages of modern-web-dev, boilerplate-990, tests/quality, Readability.js's
  test pages and the parser fixtures; figures: instructions per page on every 20th modern-web-dev
  and every 40th boilerplate-990 page, the session's start 258.5M / 98.9M, main before these
  295.9M / 112.4M): ``threads._shaped_posts`` reads its runs of sibling blocks parent by parent,
  only under the elements with ``MIN_REPEATS`` classed children (``_runs_by_parent``), where it
  grouped every classed element of the page by its parent, and reads them again in their first
  blocks' order only when two runs tie for the most text (the order decides a tie); and
  ``_dated_enough`` searches a post's text for a clock time or a year only when it holds ":",
  "19" or "20", and stops counting once the share is reached or out of reach (the search tried
  every digit of every long run's text): 295.9M -> 271.9M (x0.919), 112.4M -> 107.3M (x0.955).
  Then ``tidy_posts`` asks whether the page is a thread's (``_thread_page``, its JSON-LD and
  microdata items now read once, not twice) before it looks for posts' shapes, not after (a page
  declaring a story gets no posts either way), and ``_REPEAT_PARENTS`` walks
  ``/descendant::*``, not ``//*`` (the same elements in the same order): 271.9M -> 269.5M
  (x0.991), 107.3M -> 106.0M (x0.988). ``threads._ld_names_posts`` (whether the JSON-LD names
  a comment, asked on every page without posts' microdata) walks to the <script> elements as
  ``jsonld.objects`` does, where XPath's ``//@type`` read every element's attributes: 269.5M ->
  268.8M (x0.997), 106.0M -> 105.6M (x0.996). ``tidy_posts`` reads the page's microdata items
  and their types once, for ``_marked_posts`` and ``_thread_page`` both: 268.8M -> 267.9M
  (x0.997), 105.6M -> 105.2M (x0.996).
  Re-check: nothing on an upgrade; tests/test_speedpaths.py compares the runs with the ones in
  order on generated trees, the count with the plain one, a tie's winner, ``_thread_page`` with
  its two questions asked apart and ``_ld_names_posts`` with the XPath.

Outside Flask: request ids from ``random`` rather than ``uuid4`` (logs.py: the system call was a
tenth of a hit under load); gunicorn's master imports the libraries before it forks and workers
recycle after 20000 requests (ops/gunicorn_hooks.py; a worker boots in 0.07 s of CPU, not 0.18 s).
"""

from __future__ import annotations

# The versions this list was last checked against (major.minor); see tests/test_shortcuts.py.
CHECKED_AGAINST = {"flask": "3.1", "werkzeug": "3.1"}
