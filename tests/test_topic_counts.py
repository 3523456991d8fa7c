"""Each topic's stored count of public claims stays true on every path that changes it."""

import io

from django.core.management import call_command

from claims.models import Claim, Topic


def counts():
    return dict(Topic.objects.values_list("slug", "public_claims"))


def truth():
    return {
        topic.slug: Claim.objects.published().filter(topics=topic).count()
        for topic in Topic.objects.all()
    }


def test_the_workflow_and_topic_changes_keep_the_counts(make):
    border, jails, food = make.topic(), make.topic(), make.topic()
    draft = make.claim(status=Claim.Status.DRAFT, topics=[border, jails])
    public = make.claim(topics=[border])
    assert counts() == truth() and counts()[border.slug] == 1 and counts()[jails.slug] == 0
    draft.submit_for_review()
    draft.publish()  # publishing counts it in
    assert counts() == truth() and counts()[jails.slug] == 1
    public.topics.add(food, jails)
    public.topics.remove(border, food)
    public.topics.remove(food)  # not linked any more: nothing to count out
    assert counts() == truth()
    draft.topics.remove(jails)
    draft.topics.add(food)
    public.topics.add(food)
    assert counts() == truth() and counts()[food.slug] == 2
    public.topics.set([border, food])
    public.topics.clear()
    assert counts() == truth()
    draft.retract("Withdrawn.")  # a retracted claim stays public, and counted
    draft.topics.set([food])
    assert counts() == truth() and counts()[food.slug] == 1
    draft.delete()
    assert counts() == truth() == {border.slug: 0, jails.slug: 0, food.slug: 0}


def test_draft_topic_changes_count_nothing(make):
    topic = make.topic()
    draft = make.claim(status=Claim.Status.DRAFT)
    draft.topics.add(topic)
    make.claim(status=Claim.Status.IN_REVIEW).topics.add(topic)
    assert counts()[topic.slug] == 0
    assert not Topic.objects.published().filter(pk=topic.pk).exists()


def test_recount_repairs_and_generated_data_is_counted(make):
    topic = make.topic()
    make.claim(topics=[topic])
    Topic.objects.update(public_claims=7)
    out = io.StringIO()
    call_command("recount_topics", stdout=out)
    assert counts() == truth() and "1 corrected" in out.getvalue()
    call_command("generate_data", claims=60, batch_size=25, force=True)
    assert counts() == truth()
    assert counts()["synthetic-data"] == Claim.objects.published().exclude(topics=topic).count()


def test_the_home_page_shows_the_counts(client, make):
    topic = make.topic(name="Border policy")
    for _ in range(3):
        make.claim(topics=[topic])
    make.claim(status=Claim.Status.DRAFT, topics=[topic])
    page = client.get("/").content.decode()
    assert 'Border policy</a> <span class="count">(3)</span>' in page


def test_a_drifted_count_never_stops_a_deletion(make):
    topic = make.topic()
    claim = make.claim(topics=[topic])
    Topic.objects.update(public_claims=0)  # drifted
    claim.delete()
    assert counts()[topic.slug] == 0


def test_loaddata_counts_the_claims_it_loads(make, tmp_path):
    topic = make.topic()
    claim = make.claim(topics=[topic])
    make.claim(status=Claim.Status.DRAFT, topics=[topic])
    everything, claims_only = tmp_path / "all.json", tmp_path / "claims.json"
    call_command("dumpdata", "sources", "claims", output=str(everything))
    call_command("dumpdata", "claims.claim", pks=str(claim.pk), output=str(claims_only))
    # The claim comes back into a database that still has its topic (a claims-only fixture).
    claim.delete()
    call_command("loaddata", str(claims_only), verbosity=0)
    assert counts() == truth() == {topic.slug: 1}
    # A whole dump into an empty database: the counts are not in it, the claims count in.
    call_command("flush", interactive=False, verbosity=0)
    call_command("loaddata", str(everything), verbosity=0)
    assert counts() == truth() == {topic.slug: 1}
