"""The sentences a report writes from its numbers (``reporting.sentences`` picks one and fills it): figures come
formatted by `formats`, counts choose their plural form by ``n``."""

from __future__ import annotations

from servicescore.texts.entry import Texts

TEXTS: Texts = {
    "sentence.headline": {
        "sv": {
            "one": "{name} får index {index} (95 % intervall {ci}) från {count} svar under {wave}.",
            "other": "{name} får index {index} (95 % intervall {ci}) från {count} svar under {wave}.",
        },
        "en": {
            "one": "{name} scores an index of {index} (95% interval {ci}) from {count} response in {wave}.",
            "other": "{name} scores an index of {index} (95% interval {ci}) from {count} responses in {wave}.",
        },
    },
    "sentence.ranking": {
        "sv": "Det ger plats {rank} av {peers} i jämförelsegruppen; {diff} indexenheter mot gruppens medel "
        "({peer_mean}), {verdict}.",
        "en": "That is rank {rank} of {peers} in the peer group; {diff} index points against the peer mean "
        "({peer_mean}), {verdict}.",
    },
    "sentence.ranking.significant": {"sv": "en säkerställd skillnad", "en": "a significant difference"},
    "sentence.ranking.not_significant": {"sv": "ingen säkerställd skillnad", "en": "not a significant difference"},
    "sentence.change": {
        "sv": "Jämfört med {wave} ({before}) är förändringen {delta}, {verdict}.",
        "en": "Against {wave} ({before}) the change is {delta}, {verdict}.",
    },
    "sentence.change.improvement": {"sv": "en säkerställd förbättring", "en": "a significant improvement"},
    "sentence.change.decline": {"sv": "en säkerställd försämring", "en": "a significant decline"},
    "sentence.change.none": {"sv": "ingen säkerställd förändring", "en": "not a significant change"},
    "sentence.item": {"sv": "”{label}” får index {index}.", "en": "“{label}” scores {index}."},
    "sentence.item.peers": {
        "sv": "”{label}” får index {index}, {diff} mot jämförelsegruppen ({peer_mean}).",
        "en": "“{label}” scores {index}, {diff} against the peers ({peer_mean}).",
    },
    "sentence.standing_rule": {
        "sv": "Styrka: frågans 95 % intervall ligger helt över den egna nivån (frågornas medelindex, {own}); "
        "förbättringsområde: helt under den egna nivån.",
        "en": "Strength: the question's 95% interval lies wholly above the organisation's own level (its mean item "
        "index, {own}); area to improve: wholly below its own level.",
    },
    "sentence.standing_rule.peers": {
        "sv": "Styrka: frågans 95 % intervall ligger helt över den egna nivån (frågornas medelindex, {own}), och "
        "frågan ligger säkerställt över jämförelsegruppen; förbättringsområde: helt under den egna nivån och "
        "säkerställt under jämförelsegruppen.",
        "en": "Strength: the question's 95% interval lies wholly above the organisation's own level (its mean item "
        "index, {own}) and it is significantly above the peers; area to improve: wholly below its own level and "
        "significantly below the peers.",
    },
    # Why `scoring.leniency` has no estimates (its reason, in the report's language).
    "sentence.leniency.few_shoppers": {
        "sv": "för få observatörer har bedömt samma sak som en annan observatör (minst {min} behövs)",
        "en": "fewer than {min} shoppers scored a rating item another shopper scored too",
    },
    "sentence.leniency.no_fit": {
        "sv": "modellen gick inte att skatta på bedömningarna",
        "en": "the mixed model has no fit to the ratings",
    },
    "sentence.leniency.no_convergence": {"sv": "modellen konvergerade inte", "en": "the mixed model did not converge"},
    "sentence.leniency.chance": {
        "sv": "observatörerna skiljer sig inte mer än slumpen",
        "en": "the shoppers differ no more than chance",
    },
    "sentence.leniency.constant": {
        "sv": "bedömningarna saknar variation utöver fasta skillnader",
        "en": "the ratings differ between shoppers by constant amounts only",
    },
    "sentence.leniency.not_estimated": {"sv": "ingen skattning gjordes", "en": "not estimated"},
}
