"""Discussion threads (threads.py): a page that says it is a thread keeps its replies, whatever
they are named; an article's comment section stays out."""

from __future__ import annotations

import json

import lxml.html

from proxy.content import pipeline, threads

URL = "https://forum.example/t/budget-meals/42"
OPENING = (
    "<p>We need to cut our food bill by a third this spring, and evening meals are where the"
    " money goes. Four of us eat large portions, one needs gluten-free pasta, and the usual"
    " bolognese and pasta bakes add up to more than we can keep spending every week.</p>"
    "<p>Which cheap meals do you make again and again? Vegetarian ideas are welcome, though"
    " we mostly cook meat or fish, and anything that freezes well would help us a lot.</p>"
)
REPLIES = (
    "A tray bake of chicken thighs with peppers, onions and rice feeds us all for little money,"
    " and the leftovers make a lunch for two the next day.",
    "Lentils stretch minced beef a long way, and nobody at our table has noticed them yet; a tin"
    " of them costs less than a pound.",
    "Jacket potatoes with beans and cheese, twice a week, and soup with bread on Fridays, made"
    " from whatever vegetables are going soft.",
    "Frittata with whatever vegetables are left in the fridge, served with a green salad and a"
    " loaf from the reduced shelf.",
    "Dhal is the cheapest meal we know: red lentils, an onion, spices and a tin of tomatoes,"
    " with rice, and it freezes well in portions.",
)


def _page(kind: str) -> bytes:
    """A thread (or a post) whose first post is written apart from the replies, each reply's
    body named "reply" by its id, as a forum's template does."""
    replies = "".join(
        f"<div class='card'><div class='who'>member{n} &middot; 03/03/2026</div>"
        f"<div id='reply-body-{n}' class='post-body'><p>{text}</p></div></div>"
        for n, text in enumerate(REPLIES)
    )
    data = json.dumps({"@context": "https://schema.org", "@type": kind, "headline": "Meals"})
    return (
        f"<html><head><title>Meals</title><script type='application/ld+json'>{data}</script>"
        f"</head><body><nav><a href='/'>Home</a></nav><main><h1>Meals</h1>"
        f"<div class='opening'>{OPENING}</div>{replies}</main></body></html>"
    ).encode()


def test_a_thread_keeps_its_replies_named_as_comments() -> None:
    text = pipeline.process(_page("DiscussionForumPosting"), URL).text
    assert "cut our food bill" in text
    assert all(reply in text for reply in REPLIES)


def test_an_article_leaves_its_comments_out() -> None:
    text = pipeline.process(_page("BlogPosting"), URL).text
    assert "cut our food bill" in text
    assert not any(reply in text for reply in REPLIES)


def _marked_up_thread(kind: str) -> bytes:
    """A thread whose posts are schema.org items: the author's card and the date in chrome
    named "user" and "attribution", the message its item's ``text``."""
    posts = "".join(
        f"<article class='message' itemscope itemtype='https://schema.org/Comment'>"
        f"<section class='message-user' itemprop='author' itemscope"
        f" itemtype='https://schema.org/Person'><span itemprop='name'>member{n}</span>"
        f"<span class='user-title'>Well-known member</span></section>"
        f"<header class='message-attribution'><time itemprop='datePublished'"
        f" datetime='2024-03-0{n + 1}'>Mar {n + 1}, 2024</time></header>"
        f"<div class='message-body' itemprop='text'><p>{text}</p></div>"
        f"<div class='message-extra'>Cooking on a budget since 2009, four kids and a"
        f" dog, and a blog of our weekly plans.</div>"
        f"<div class='bar'><a href='#like'>Like</a> <a href='#quote'>Quote</a>"
        f" <span>Reactions: member{n + 1}</span></div></article>"
        for n, text in enumerate(REPLIES)
    )
    data = json.dumps({"@context": "https://schema.org", "@type": kind, "headline": "Meals"})
    return (
        f"<html><head><title>Meals</title><script type='application/ld+json'>{data}</script>"
        f"</head><body><main><h1>Meals</h1>{posts}</main></body></html>"
    ).encode()


def test_each_post_of_a_thread_says_who_wrote_it_and_when() -> None:
    text = pipeline.process(_marked_up_thread("DiscussionForumPosting"), URL).text
    assert all(f"member{n} · Mar {n + 1}, 2024" in text for n in range(len(REPLIES)))
    assert all(reply in text for reply in REPLIES) and "Well-known member" not in text


def test_a_post_gives_its_message_without_its_signature_and_buttons() -> None:
    text = pipeline.process(_marked_up_thread("DiscussionForumPosting"), URL).text
    assert "Cooking on a budget" not in text and "Reactions" not in text
    assert "Quote" not in text


def test_the_replies_inside_the_first_posts_item_are_kept() -> None:
    """A thread whose first post's item holds the replies' items (a forum's template)."""
    replies = "".join(
        f"<div class='card' itemprop='comment' itemscope itemtype='https://schema.org/Comment'>"
        f"<span itemprop='author'>member{n}</span><span class='views'>12 views</span>"
        f"<div itemprop='text'><p>{text}</p></div></div>"
        for n, text in enumerate(REPLIES)
    )
    page = (
        "<html><head><title>Meals</title></head><body><main><div itemscope"
        " itemtype='https://schema.org/DiscussionForumPosting'><h1 itemprop='headline'>Meals"
        "</h1><span itemprop='author'>opener</span><span>6.5K views 5 replies</span>"
        f"<div itemprop='text'>{OPENING}</div><div class='replies'>{replies}</div></div>"
        "</main></body></html>"
    )
    text = pipeline.process(page.encode(), URL).text
    assert "cut our food bill" in text and all(reply in text for reply in REPLIES)
    assert "opener" in text and "member3" in text and "views" not in text


def test_the_comments_of_an_article_are_not_labelled() -> None:
    text = pipeline.process(_marked_up_thread("BlogPosting"), URL).text
    assert "member0 · Mar 1, 2024" not in text


def test_a_post_headed_by_its_author_and_date_says_them_once() -> None:
    posts = "".join(
        f"<div class='post' itemscope itemtype='https://schema.org/Comment'>"
        f"<div class='meta'><span itemprop='author'>member{n}</span>"
        f" <time itemprop='datePublished'>Mar {n + 1}, 2024</time></div>"
        f"<div class='body' itemprop='text'><p>{text}</p></div></div>"
        for n, text in enumerate(REPLIES)
    )
    page = f"<html><head><title>Meals</title></head><body><main>{posts}</main></body></html>"
    text = pipeline.process(page.encode(), URL).text
    assert all(reply in text for reply in REPLIES)
    assert text.count("member0") == 1 and "member0 · Mar 1, 2024" in text


def test_the_posts_a_thread_lists_in_its_json_ld_are_found_by_their_texts() -> None:
    """No microdata: the JSON-LD lists each post's text and author; the page shows them in
    <article>s with a user card, a <time> and a reaction bar around the message."""
    posts = "".join(
        f"<article id='elComment_{n}' class='post'><aside class='card'><h3>member{n}</h3>"
        f"<ul><li>Members</li><li>{n * 37 + 12} posts</li></ul></aside><div class='main'>"
        f"<div class='meta'>Posted <time datetime='2024-03-0{n + 1}'>March {n + 1}, 2024</time>"
        f"</div><div class='content'><p>{text}</p></div><ul class='bar'><li>Quote</li>"
        f"<li>Like 3</li></ul></div></article>"
        for n, text in enumerate(REPLIES)
    )
    comments = [
        {"@type": "Comment", "author": {"name": f"member{n}"}, "text": text}
        for n, text in enumerate(REPLIES[1:], start=1)
    ]
    data = json.dumps(
        {
            "@context": "https://schema.org",
            "@type": "DiscussionForumPosting",
            "headline": "Meals",
            "author": {"@type": "Person", "name": "member0"},
            "text": REPLIES[0],
            "comment": comments,
        }
    )
    page = (
        f"<html><head><title>Meals</title><script type='application/ld+json'>{data}</script>"
        f"</head><body><main><h1>Meals</h1><div class='feed'>{posts}</div></main></body></html>"
    )
    text = pipeline.process(page.encode(), URL).text
    assert all(reply in text for reply in REPLIES)
    assert all(f"member{n} · March {n + 1}, 2024" in text for n in range(len(REPLIES)))
    assert "Members" not in text and "Like 3" not in text and "Quote" not in text


def _shaped_thread(story: str) -> bytes:
    """A thread without schema.org markup, as phpBB writes one: each post a user card (avatar,
    linked name, post count, join date), a title and a linked date, then its message; after
    ``story`` (an article's paragraphs, or nothing)."""
    posts = "".join(
        f"<div class='post bg{n % 2 + 1}'><dl class='postprofile'><dt>"
        f"<a href='/memberlist.php?u={n}'><img src='/avatar{n}.png' alt=''></a>"
        f"<a href='/memberlist.php?u={n}' class='username'>member{n}</a></dt>"
        f"<dd>Posts: {n * 37 + 12}</dd><dd><strong>Joined:</strong> Sun Jan 0{n + 1}, 2017"
        f" 9:1{n} am</dd></dl><div class='postbody'><h3><a href='#p{n}'>Re: Meals</a></h3>"
        f"<p class='author'><a href='/viewtopic.php?p={n}#p{n}'>Tue Mar 0{n + 1}, 2026"
        f" 10:1{n} am</a></p><div class='content'>{text}</div></div></div>"
        for n, text in enumerate(REPLIES)
    )
    return (
        "<html><head><title>Meals</title></head><body><div id='wrap'><h1>Meals</h1>"
        f"{story}<div id='page-body'>{posts}</div></div></body></html>"
    ).encode()


def test_a_thread_without_markup_is_found_by_its_shape() -> None:
    """Sibling posts of one shape, each a linked name and a date beside a longer message."""
    text = pipeline.process(_shaped_thread(""), URL).text
    assert all(reply in text for reply in REPLIES)
    assert all(f"member{n} · Tue Mar 0{n + 1}, 2026 10:1{n} am" in text for n in range(5))
    assert "Posts:" not in text and "Joined" not in text and "Re: Meals" not in text


def test_an_articles_comments_of_a_posts_shape_are_not_taken_for_a_thread() -> None:
    """The same posts under an article's prose: its comments, left whole to page pruning."""
    story = "<div class='story'>" + OPENING * 4 + "</div>"
    text = pipeline.process(_shaped_thread(story), URL).text
    assert "cut our food bill" in text and "member0 · Tue Mar 01, 2026" not in text
    doc = lxml.html.fromstring(_shaped_thread(story))
    threads.tidy_posts(doc)
    assert "member0 ·" not in doc.text_content() and "Joined" in doc.text_content()
