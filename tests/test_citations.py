"""Statute citations: a table of Swedish citation forms, written for these tests.

Each row: a sentence, the document's date (or None) and the citations expected in
document order, each as ``(law, chapter, section, section_end, paragraph, point)`` with
an optional seventh element, the SFS number, where the version matters. A row with an
empty list is a sentence that cites nothing.
"""

from __future__ import annotations

import pytest

from pipeline.finders.laws import default_finder

D = "2023-05-01"  # an ordinary document date: SoL is 2001:453


def cite(law, chapter=None, section=None, section_end=None, paragraph=None, point=None, **kw):
    """A short way to write a row's expected citation."""
    t = (law, chapter, section, section_end, paragraph, point)
    return t + (kw["sfs"],) if "sfs" in kw else t


ROWS = [
    # --- chapter, section and abbreviation ---------------------------------------------------
    ("Anmälan gjordes enligt 14 kap. 1 § SoL.", D, [cite("SoL", "14", "1", sfs="2001:453")]),
    ("Polisen gjorde en orosanmälan enligt 14 kap 1 § SoL samma dag.", D, [cite("SoL", "14", "1")]),
    ("Nämnden ska enligt 14 kap.1 § SoL ta emot anmälan.", D, [cite("SoL", "14", "1")]),
    ("En anmälan enligt 14 kap. 1§ SoL kom in.", D, [cite("SoL", "14", "1")]),
    ("Av 6 kap. 6 § SoL framgår att ett barn ska placeras nära hemmet.", D, [cite("SoL", "6", "6")]),
    ("Utredningen inleddes med stöd av 11 kap. 1 § SoL.", D, [cite("SoL", "11", "1")]),
    ("Bistånd beviljas enligt 4 kap. 1 § SoL.", D, [cite("SoL", "4", "1")]),
    ("Enligt 5 kap. 1 a § SoL ska nämnden samverka med andra aktörer.", D, [cite("SoL", "5", "1 a")]),
    ("Socialtjänsten kan enligt 11 kap. 4 a § SoL följa upp ärendet.", D, [cite("SoL", "11", "4 a")]),
    ("Uppgifterna lämnades med stöd av 12 kap. 10 § SoL.", D, [cite("SoL", "12", "10")]),
    ("Skyldigheten följer av 14 kap. 1 c § SoL.", D, [cite("SoL", "14", "1 c")]),
    ("Av 1 kap. 2 § SoL framgår att barnets bästa ska beaktas.", D, [cite("SoL", "1", "2")]),
    ("Förvaltningen har följt 14 kap. 1 § SoL i 98 fall.", D, [cite("SoL", "14", "1")]),
    ("Yttrandet lämnades enligt 11§ LuL.", D, [cite("LuL", None, "11", sfs="1964:167")]),
    ("Åklagaren begärde ett yttrande enligt 11 § LUL.", D, [cite("LuL", None, "11")]),
    ("Ett yttrande enligt 11 § Lul skrevs av handläggaren.", D, [cite("LuL", None, "11")]),
    ("Underrättelse skedde enligt 6 § LuL.", D, [cite("LuL", None, "6")]),
    ("Socialtjänsten närvarade vid förhöret enligt 5 § LuL.", D, [cite("LuL", None, "5")]),
    ("Vård beslutades med stöd av 2 § LVU.", D, [cite("LVU", None, "2", sfs="1990:52")]),
    ("Vård kan även beredas enligt 3 § LVU.", D, [cite("LVU", None, "3")]),
    ("Nämnden beslutade om omedelbart omhändertagande enligt 6 § LVU.", D, [cite("LVU", None, "6")]),
    ("Beslutet fattades med stöd av 2 a § LVU.", D, [cite("LVU", None, "2 a")]),
    ("Beslutet fattades med stöd av 2a § LVU.", D, [cite("LVU", None, "2 a")]),
    ("Beslut fattades enligt 10 a § LVU.", D, [cite("LVU", None, "10 a")]),
    ("Tvångsvård enligt 4 § LVM övervägdes.", D, [cite("LVM", None, "4", sfs="1988:870")]),
    ("En anmälan enligt 6 § LVM kom från sjukhuset.", D, [cite("LVM", None, "6")]),
    ("Sekretess gäller enligt 26 kap. 1 § OSL.", D, [cite("OSL", "26", "1", sfs="2009:400")]),
    ("Uppgiften lämnades ut med stöd av 10 kap. 2 § OSL.", D, [cite("OSL", "10", "2")]),
    ("Polisen fick uppgifterna enligt 10 kap. 18 a § OSL.", D, [cite("OSL", "10", "18 a")]),
    ("Samtal kan ske enligt 10 kap. 19 § OSL.", D, [cite("OSL", "10", "19")]),
    ("Uppgifterna lämnades enligt 10 kap. 28 § OSL.", D, [cite("OSL", "10", "28")]),
    ("Se 25 kap. 1 § OSL.", D, [cite("OSL", "25", "1")]),
    ("Insatsen beviljades enligt 9 § LSS.", D, [cite("LSS", None, "9", sfs="1993:387")]),
    ("Personkretsen anges i 1 § LSS.", D, [cite("LSS", None, "1")]),
    ("Ungdomen dömdes enligt 32 kap. 1 § BrB.", D, [cite("BrB", "32", "1", sfs="1962:700")]),
    ("Påföljden bestäms enligt 29 kap. 7 § BrB.", D, [cite("BrB", "29", "7")]),
    ("Straff utdöms enligt 3 kap. 1 § BrB.", D, [cite("BrB", "3", "1")]),
    ("Anmälan om brott enligt 4 kap. 4 a § BRB gjordes.", D, [cite("BrB", "4", "4 a")]),
    ("Förhöret hölls enligt 23 kap. 10 § RB.", D, [cite("RB", "23", "10", sfs="1942:740")]),
    ("Vårdnaden prövades enligt 6 kap. 2 a § FB.", D, [cite("FB", "6", "2 a", sfs="1949:381")]),
    ("Barnets vilja beaktas enligt 6 kap. 2 b § FB.", D, [cite("FB", "6", "2 b")]),
    ("Polisen ingrep med stöd av 13 § PL.", D, [cite("PL", None, "13", sfs="1984:387")]),
    ("Ersättningen beräknas enligt 36 kap. 1 § SFB.", D, [cite("SFB", "36", "1", sfs="2010:110")]),
    ("Beslutet fattades med stöd av 6 kap. 38 § KL.", D, [cite("KL", "6", "38", sfs="2017:725")]),
    ("Beslut enligt 6 kap. 38 § KL:s regler fattades.", D, [cite("KL", "6", "38")]),
    ("Frågan förhandlades enligt 11 § MBL.", D, [cite("MBL", None, "11", sfs="1976:580")]),
    ("Arbetsgivaren informerade enligt 19 § MBL.", D, [cite("MBL", None, "19")]),
    ("Förflyttningen prövades enligt 7 § LAS.", D, [cite("LAS", None, "7", sfs="1982:80")]),
    ("Arbetsgivaren ska enligt 3 kap. 2 a § AML undersöka riskerna.", D, [cite("AML", "3", "2 a", sfs="1977:1160")]),
    ("Vården ges enligt 3 § LPT.", D, [cite("LPT", None, "3", sfs="1991:1128")]),
    ("Omhändertagandet skedde enligt 1 § LOB.", D, [cite("LOB", None, "1", sfs="1976:511")]),
    ("Upphandlingen genomfördes enligt 19 kap. 1 § LOU.", D, [cite("LOU", "19", "1", sfs="2016:1145")]),
    ("Omprövning sker enligt 37 § FL.", D, [cite("FL", None, "37", sfs="2017:900")]),
    ("Anställningen följer 4 § LOA.", D, [cite("LOA", None, "4", sfs="1994:260")]),
    ("Vårdplanen följer 6 kap. 12 § PSL.", D, [cite("PSL", "6", "12", sfs="2010:659")]),
    ("Informationen gavs enligt 2 kap. 1 § TF.", D, [cite("TF", "2", "1", sfs="1949:105")]),
    ("Principen följer av 1 kap. 9 § RF.", D, [cite("RF", "1", "9", sfs="1974:152")]),
    # --- ranges: one citation with section_end ----------------------------------------------
    ("Insatserna anges i 1–3 §§ LSS.", D, [cite("LSS", None, "1", "3")]),
    ("Insatserna anges i 1-3 §§ LSS.", D, [cite("LSS", None, "1", "3")]),
    ("Reglerna om överklagande finns i 24–26 §§ LVU.", D, [cite("LVU", None, "24", "26")]),
    ("Se 12 – 14 §§ LVU om umgänge.", D, [cite("LVU", None, "12", "14")]),
    ("Bestämmelserna i 2 a–2 c §§ LVU gäller här.", D, [cite("LVU", None, "2 a", "2 c")]),
    ("Reglerna i 5 kap. 1–3 §§ SoL berör barn och unga.", D, [cite("SoL", "5", "1", "3")]),
    ("Handläggningen följer 11 kap. 1-2 §§ SoL.", D, [cite("SoL", "11", "1", "2")]),
    ("Jämför 26 kap. 1–3 §§ OSL.", D, [cite("OSL", "26", "1", "3")]),
    ("Uppgifter lämnas enligt 10 kap. 21–23 §§ OSL.", D, [cite("OSL", "10", "21", "23")]),
    ("Reglerna om omprövning i 36–39 §§ förvaltningslagen gäller.", D, [cite("FL", None, "36", "39")]),
    ("Se 5 kap. 11–12 §§ skollagen.", D, [cite("SkolL", "5", "11", "12")]),
    # --- enumerations: one citation per item ------------------------------------------------
    ("Skolan ska följa 5 kap. 11 och 12 §§ skollagen (2010:800).", D,
     [cite("SkolL", "5", "11", sfs="2010:800"), cite("SkolL", "5", "12", sfs="2010:800")]),
    ("Nämnden har ansvar enligt 14 kap. 1 och 2 §§ SoL.", D, [cite("SoL", "14", "1"), cite("SoL", "14", "2")]),
    ("Beslut kan fattas enligt 6, 7 och 9 §§ LVM.", D, [cite("LVM", None, "6"), cite("LVM", None, "7"), cite("LVM", None, "9")]),
    ("Sekretessen regleras i 3–5, 8 och 10 a §§ OSL.", D,
     [cite("OSL", None, "3", "5"), cite("OSL", None, "8"), cite("OSL", None, "10 a")]),
    ("Vård kan beredas enligt 3 och 6 §§ LVU.", D, [cite("LVU", None, "3"), cite("LVU", None, "6")]),
    ("Vård kan beredas enligt 3, 6 och 11 §§ LVU.", D, [cite("LVU", None, "3"), cite("LVU", None, "6"), cite("LVU", None, "11")]),
    ("Beslut fattades enligt 3 eller 6 § LVU.", D, [cite("LVU", None, "3"), cite("LVU", None, "6")]),
    ("Reglerna i 11 och 12 §§ LuL gäller.", D, [cite("LuL", None, "11"), cite("LuL", None, "12")]),
    ("Förhandling skedde enligt 11 och 19 §§ MBL.", D, [cite("MBL", None, "11"), cite("MBL", None, "19")]),
    ("Uppgifter kan lämnas enligt 10 kap. 2 och 19 §§ OSL.", D, [cite("OSL", "10", "2"), cite("OSL", "10", "19")]),
    ("Se 14 kap. 1 och 1 a §§ SoL.", D, [cite("SoL", "14", "1"), cite("SoL", "14", "1 a")]),
    ("Av 12 kap. 10 § och 14 kap. 1 § SoL följer skyldigheten.", D, [cite("SoL", "12", "10"), cite("SoL", "14", "1")]),
    ("Skolan ska följa 5 kap. 11 § och 6 kap. 2 § skollagen.", D, [cite("SkolL", "5", "11"), cite("SkolL", "6", "2")]),
    ("Reglerna i 10 kap. 2 § och 12 kap. 2 § OSL tillämpas.", D, [cite("OSL", "10", "2"), cite("OSL", "12", "2")]),
    ("Det följer av 10 kap. 2 § OSL jämte 26 kap. 1 § OSL.", D, [cite("OSL", "10", "2"), cite("OSL", "26", "1")]),
    ("Se 2 kap. 1 och 2 §§ samt 4 kap. 1 § SoL.", D, [cite("SoL", "2", "1"), cite("SoL", "2", "2"), cite("SoL", "4", "1")]),
    ("Han dömdes enligt 3 kap. 1 § och 3 kap. 2 § BrB.", D, [cite("BrB", "3", "1"), cite("BrB", "3", "2")]),
    ("Se 2 § respektive 3 § LVU.", D, [cite("LVU", None, "2"), cite("LVU", None, "3")]),
    ("Vård beslutades enligt 2 och 3 §§ i lagen (1990:52) med särskilda bestämmelser om vård av unga.", D,
     [cite("LVU", None, "2", sfs="1990:52"), cite("LVU", None, "3", sfs="1990:52")]),
    ("Anmälan gjordes enligt 14 kap. 1 § SoL och yttrandet enligt 11 § LuL.", D, [cite("SoL", "14", "1"), cite("LuL", None, "11")]),
    ("Både 2 § LVU och 4 § LVM kan bli aktuella.", D, [cite("LVU", None, "2"), cite("LVM", None, "4")]),
    ("Ordningsvakten agerade enligt 13 § PL och 24 § PL.", D, [cite("PL", None, "13"), cite("PL", None, "24")]),
    ("Anmälan enligt 14 kap. 1 § SoL, yttrande enligt 11 § LuL och vård enligt 6 § LVU.", D,
     [cite("SoL", "14", "1"), cite("LuL", None, "11"), cite("LVU", None, "6")]),
    ("Socialnämnden ska enligt 14 kap. 1 § SoL, 12 kap. 10 § SoL och 10 kap. 28 § OSL agera.", D,
     [cite("SoL", "14", "1"), cite("SoL", "12", "10"), cite("OSL", "10", "28")]),
    ("Vård ges enligt 2 § LVU och SoL.", D, [cite("LVU", None, "2"), cite("SoL")]),
    # --- stycke (paragraph) and punkt (point) -------------------------------------------------
    ("Parten ska underrättas enligt 4 § första och andra styckena förvaltningslagen.", D,
     [cite("FL", None, "4", None, "1"), cite("FL", None, "4", None, "2")]),
    ("Se 4 § andra och tredje styckena FL.", D, [cite("FL", None, "4", None, "2"), cite("FL", None, "4", None, "3")]),
    ("Det följer av 4 § första, andra och tredje styckena FL.", D,
     [cite("FL", None, "4", None, "1"), cite("FL", None, "4", None, "2"), cite("FL", None, "4", None, "3")]),
    ("Vård ges enligt 1 § andra stycket 3 LVU.", D, [cite("LVU", None, "1", None, "2", "3")]),
    ("Det följer av 3 § andra stycket LVU.", D, [cite("LVU", None, "3", None, "2")]),
    ("Det följer av 13 § tredje stycket LVU.", D, [cite("LVU", None, "13", None, "3")]),
    ("Det följer av 12 § andra stycket LVU.", D, [cite("LVU", None, "12", None, "2")]),
    ("Det följer av 11 § fjärde stycket LVU.", D, [cite("LVU", None, "11", None, "4")]),
    ("Anmälan gjordes enligt 14 kap. 1 § första stycket SoL.", D, [cite("SoL", "14", "1", None, "1")]),
    ("Beslutet fattades enligt 14 kap. 1 § tredje stycket SoL.", D, [cite("SoL", "14", "1", None, "3")]),
    ("Uppgifterna omfattas av 14 kap. 1 § första och andra styckena SoL.", D,
     [cite("SoL", "14", "1", None, "1"), cite("SoL", "14", "1", None, "2")]),
    ("Sekretessen följer av 2 kap. 1 § första stycket OSL.", D, [cite("OSL", "2", "1", None, "1")]),
    ("Se 1 kap. 2 § andra stycket SoL.", D, [cite("SoL", "1", "2", None, "2")]),
    ("Det följer av 4 § tredje stycket 2 FL.", D, [cite("FL", None, "4", None, "3", "2")]),
    ("Det följer av 4 § första stycket p. 2 FL.", D, [cite("FL", None, "4", None, "1", "2")]),
    ("Insatsen ges enligt 9 § punkt 8 LSS.", D, [cite("LSS", None, "9", None, None, "8")]),
    ("Insatsen ges enligt 9 § p. 6 LSS.", D, [cite("LSS", None, "9", None, None, "6")]),
    ("Insatserna ges enligt 9 § punkterna 6 och 8 LSS.", D,
     [cite("LSS", None, "9", None, None, "6"), cite("LSS", None, "9", None, None, "8")]),
    ("Beslutet grundas på 13 kap. 2 § första stycket punkt 3 SoL.", D, [cite("SoL", "13", "2", None, "1", "3")]),
    ("Det följer av 6 § första stycket 2 LVM.", D, [cite("LVM", None, "6", None, "1", "2")]),
    # --- the law named before the provision ------------------------------------------------------
    ("Enligt socialtjänstlagen 14 kap. 1 § ska anmälan göras.", D, [cite("SoL", "14", "1")]),
    ("Enligt SoL 4 kap. 1 § har den enskilde rätt till bistånd.", D, [cite("SoL", "4", "1")]),
    ("Tillämpligt är LVU 2 § i detta fall.", D, [cite("LVU", None, "2")]),
    ("Se LVU 1 § tredje stycket.", D, [cite("LVU", None, "1", None, "3")]),
    ("Se föräldrabalken 6 kap. 2 a § om barnets bästa.", D, [cite("FB", "6", "2 a")]),
    ("Anmälan gjordes enligt socialtjänstlagen (2001:453) 14 kap. 1 §.", D, [cite("SoL", "14", "1", sfs="2001:453")]),
    # --- the law by its name ----------------------------------------------------------------------
    ("Enligt 14 kap. 1 § socialtjänstlagen ska anmälan göras.", D, [cite("SoL", "14", "1", sfs="2001:453")]),
    ("Det framgår av 14 kap. 1 § i socialtjänstlagen.", D, [cite("SoL", "14", "1")]),
    ("Anmälan gjordes i enlighet med 14 kap. 1 § SoL.", D, [cite("SoL", "14", "1")]),
    ("Bestämmelsen i 14 kapitlet 1 § socialtjänstlagen är tydlig.", D, [cite("SoL", "14", "1")]),
    ("Sekretess gäller enligt 26 kap. 1 § offentlighets- och sekretesslagen.", D, [cite("OSL", "26", "1", sfs="2009:400")]),
    ("Sekretess gäller enligt 26 kap. 1 § offentlighets- och sekretesslagen (2009:400).", D,
     [cite("OSL", "26", "1", sfs="2009:400")]),
    ("Föräldrarna har ansvar enligt 6 kap. 1 § föräldrabalken.", D, [cite("FB", "6", "1", sfs="1949:381")]),
    ("Gärningen är straffbar enligt 3 kap. 5 § brottsbalken.", D, [cite("BrB", "3", "5", sfs="1962:700")]),
    ("Hon dömdes till ungdomsvård enligt 32 kap. 1 § brottsbalken.", D, [cite("BrB", "32", "1")]),
    ("Förhör hölls enligt 23 kap. 18 a § rättegångsbalken.", D, [cite("RB", "23", "18 a")]),
    ("Polisen ingrep med stöd av 12 § polislagen.", D, [cite("PL", None, "12", sfs="1984:387")]),
    ("Polisen kan ingripa enligt 13 § polislagen (1984:387).", D, [cite("PL", None, "13", sfs="1984:387")]),
    ("Parten fick del av uppgifterna enligt 25 § förvaltningslagen (2017:900).", D, [cite("FL", None, "25", sfs="2017:900")]),
    ("Ärendet avgjordes enligt 6 kap. 38 § kommunallagen (2017:725).", D, [cite("KL", "6", "38", sfs="2017:725")]),
    ("Rektorn ska enligt 29 kap. 13 § skollagen samverka.", D, [cite("SkolL", "29", "13", sfs="2010:800")]),
    ("Huvudmannen ansvarar enligt 3 kap. 1 § diskrimineringslagen.", D, [cite("DiskrL", "3", "1", sfs="2008:567")]),
    ("Riskbedömning krävs enligt 3 kap. 2 § arbetsmiljölagen.", D, [cite("AML", "3", "2")]),
    ("Innehavet var straffbart enligt 1 § narkotikastrafflagen.", D, [cite("NSL", None, "1", sfs="1968:64")]),
    ("Vapnet saknade licens enligt 2 kap. 1 § vapenlagen.", D, [cite("VapL", "2", "1", sfs="1996:67")]),
    ("Frågan regleras i 9 kap. 3 § miljöbalken.", D, [cite("MB", "9", "3")]),
    ("Kvinnan omhändertogs enligt 2 § lagen om omhändertagande av berusade personer m.m.", D, [cite("LOB", None, "2")]),
    ("Insatsen gavs enligt 9 § lagen om stöd och service till vissa funktionshindrade.", D, [cite("LSS", None, "9")]),
    ("Vården ges med stöd av lagen om vård av missbrukare i vissa fall.", D, [cite("LVM", sfs="1988:870")]),
    ("Vården ges med stöd av lagen med särskilda bestämmelser om vård av unga.", D, [cite("LVU", sfs="1990:52")]),
    ("Förhöret hölls enligt lagen med särskilda bestämmelser om unga lagöverträdare.", D, [cite("LuL", sfs="1964:167")]),
    ("Kommunen följer lagen om unga lagöverträdare.", D, [cite("LuL")]),
    ("Stöd ges enligt lag om stöd och service.", D, [cite("LSS")]),
    ("Tvångsvård ges enligt lagen om psykiatrisk tvångsvård.", D, [cite("LPT")]),
    ("Provtagning skedde enligt smittskyddslagen.", D, [cite("SmittskL", sfs="2004:168")]),
    ("Kameran sattes upp enligt kamerabevakningslagen.", D, [cite("2018:1200", sfs="2018:1200")]),
    ("Personen var folkbokförd enligt folkbokföringslagen.", D, [cite("1991:481")]),
    ("Barnets rättigheter stärks genom barnkonventionslagen.", D, [cite("2018:1197")]),
    ("Utskrivningen planeras enligt utskrivningslagen.", D, [cite("2017:612")]),
    ("Kontaktförbud meddelades enligt lagen om kontaktförbud.", D, [cite("1988:688")]),
    ("Serveringen prövas enligt alkohollagen.", D, [cite("AlkL", sfs="2010:1622")]),
    ("Handlingen arkiveras enligt arkivlagen.", D, [cite("ArkivL", sfs="1990:782")]),
    ("Polisen behandlar uppgifterna enligt brottsdatalagen.", D, [cite("BDL", sfs="2018:1177")]),
    ("Beslutet om utvisning fattades enligt utlänningslagen.", D, [cite("UtlL", sfs="2005:716")]),
    ("Arvet fördelas enligt ärvdabalken.", D, [cite("ÄB", sfs="1958:637")]),
    ("Bodelningen sker enligt äktenskapsbalken.", D, [cite("ÄktB", sfs="1987:230")]),
    ("Bygglovet prövas enligt plan- och bygglagen.", D, [cite("PBL", sfs="2010:900")]),
    ("Tillsynen följer miljöbalken.", D, [cite("MB", sfs="1998:808")]),
    ("Räddningstjänsten arbetar enligt lagen om skydd mot olyckor.", D, [cite("LSO", sfs="2003:778")]),
    ("Handlingarna lämnas ut enligt tryckfrihetsförordningen.", D, [cite("TF")]),
    ("Den grundläggande regeln finns i regeringsformen.", D, [cite("RF")]),
    ("Överklagandet prövas enligt förvaltningsprocesslagen.", D, [cite("FPL", sfs="1971:291")]),
    ("Sekretessen regleras närmare i offentlighets- och sekretessförordningen.", D, [cite("OSF", sfs="2009:641")]),
    ("Uppgifterna behandlas enligt dataskyddsförordningen.", D, [cite("GDPR", sfs=None)]),
    ("Uppgifterna behandlas enligt EU:s dataskyddsförordning.", D, [cite("GDPR")]),
    ("Uppgifterna behandlas enligt dataskyddslagen.", D, [cite("2018:218", sfs="2018:218")]),
    ("Föreskrifterna i socialtjänstförordningen gäller.", D, [cite("SoF", sfs="2001:937")]),
    ("Tillsyn sker enligt LSS-förordningen.", D, [cite("1993:1090")]),
    ("Körkortet drogs in enligt trafikbrottslagen.", D, [cite("TBL", sfs="1951:649")]),
    ("Den intagne placerades enligt fängelselagen.", D, [cite("FäL", sfs="2010:610")]),
    ("Patienten informerades enligt patientlagen.", D, [cite("2014:821")]),
    ("Arbetstiden regleras i arbetstidslagen.", D, [cite("ATL", sfs="1982:673")]),
    ("Ledigheten följer semesterlagen.", D, [cite("SemL")]),
    ("Ledigheten följer föräldraledighetslagen.", D, [cite("1995:584")]),
    ("Kommunen följer språklagen.", D, [cite("2009:600")]),
    ("Kommunen följer minoritetslagen.", D, [cite("2009:724")]),
    ("Mottagandet sker enligt bosättningslagen.", D, [cite("2016:38")]),
    ("Resan beviljades enligt färdtjänstlagen.", D, [cite("1997:736")]),
    ("Samordningsförbundet bildades enligt finsamlagen.", D, [cite("2003:1210")]),
    ("Redovisningen följer lagen om kommunal bokföring och redovisning.", D, [cite("LKBR", sfs="2018:597")]),
    # --- genitive, definite form, case ----------------------------------------------------------
    ("Socialtjänstlagens bestämmelser om barn gäller.", D, [cite("SoL")]),
    ("Enligt socialtjänstlagens portalparagraf ska verksamheten bygga på respekt.", D, [cite("SoL")]),
    ("Brottsbalkens regler om påföljd tillämpades.", D, [cite("BrB")]),
    ("Föräldrabalkens regler om vårdnad gäller.", D, [cite("FB")]),
    ("Offentlighets- och sekretesslagens regler är komplicerade.", D, [cite("OSL")]),
    ("Handläggarna har god kunskap om offentlighets- och sekretesslagen.", D, [cite("OSL")]),
    ("Skollagens krav på elevhälsa gäller.", D, [cite("SkolL")]),
    ("Ärendet prövades enligt föräldrabalken.", D, [cite("FB")]),
    ("Gärningarna är brott enligt brottsbalken.", D, [cite("BrB")]),
    ("Handläggarna följer SoL:s regler om dokumentation.", D, [cite("SoL")]),
    ("LVU:s bestämmelser om vård utanför hemmet gäller.", D, [cite("LVU")]),
    ("Polislagen ger polisen rätt att ingripa.", D, [cite("PL", sfs="1984:387")]),
    ("Stödet ges enligt SOL.", D, [cite("SoL")]),
    # --- abbreviations alone ------------------------------------------------------------------
    ("Enligt SoL ska nämnden verka för att unga växer upp under trygga förhållanden.", D, [cite("SoL", sfs="2001:453")]),
    ("Ärendet handläggs enligt SoL och LVU.", D, [cite("SoL"), cite("LVU")]),
    ("Insatser ges enligt SoL, LVU och LVM.", D, [cite("SoL"), cite("LVU"), cite("LVM")]),
    ("Ärendet gäller LVU och LVM samt SoL.", D, [cite("LVU"), cite("LVM"), cite("SoL")]),
    ("Stöd kan ges enligt SoL eller LSS.", D, [cite("SoL"), cite("LSS")]),
    ("Tjänsten upphandlades enligt LOV.", D, [cite("LOV", sfs="2008:962")]),
    ("Ungdomen placerades enligt LSU.", D, [cite("LSU", sfs="1998:603")]),
    ("Asylsökande får stöd enligt LMA.", D, [cite("LMA", sfs="1994:137")]),
    ("Vård ges enligt LRV.", D, [cite("LRV", sfs="1991:1129")]),
    ("Journalen förs enligt PDL.", D, [cite("PDL", sfs="2008:355")]),
    ("Krisberedskapen följer LEH.", D, [cite("LEH", sfs="2006:544")]),
    ("Han är anställd enligt LAS.", D, [cite("LAS")]),
    ("Ett ärende enligt LOU handläggs.", D, [cite("LOU")]),
    ("Bygglov söks enligt PBL.", D, [cite("PBL")]),
    ("Brottet regleras i BrB.", D, [cite("BrB")]),
    # --- compounds ------------------------------------------------------------------------------
    ("Handläggaren skriver LUL-yttranden varje vecka.", D, [cite("LuL", sfs="1964:167")]),
    ("En LVU-placering kan bli aktuell.", D, [cite("LVU", sfs="1990:52")]),
    ("Familjen fick en SoL-insats i form av kontaktperson.", D, [cite("SoL")]),
    ("Ett LSS-beslut överklagades.", D, [cite("LSS")]),
    ("Ungdomen har LVM-vård sedan i våras.", D, [cite("LVM")]),
    ("Antalet LVU-ärenden har ökat.", D, [cite("LVU")]),
    ("En LUL-utredning påbörjades.", D, [cite("LuL")]),
    ("Enheten har två SoL-handläggare.", D, [cite("SoL")]),
    ("Frågan togs upp vid MBL-förhandlingen.", D, [cite("MBL")]),
    ("Personalen fick MBL-information i mars.", D, [cite("MBL")]),
    ("Nämnden fattar LSS-beslut om ledsagning.", D, [cite("LSS")]),
    ("Inga LVU-placeringar gjordes under året.", D, [cite("LVU")]),
    ("All personal har genomgått en GDPR-utbildning.", D, [cite("GDPR")]),
    ("Placeringen skedde på ett LVM-hem.", D, [cite("LVM")]),
    ("Hon bor i ett LSS-boende.", D, [cite("LSS")]),
    ("Det är ett SoL-ärende.", D, [cite("SoL")]),
    ("Läs LAS-reglerna noga.", D, [cite("LAS")]),
    # --- SFS numbers and titles ---------------------------------------------------------------------
    ("Reglerna finns i socialtjänstlagen (2001:453).", D, [cite("SoL", sfs="2001:453")]),
    ("Reglerna finns i socialtjänstlagen (SFS 2001:453).", D, [cite("SoL", sfs="2001:453")]),
    ("Reglerna finns i socialtjänstlagen (2001:453), SoL.", D, [cite("SoL", sfs="2001:453")]),
    ("Reglerna finns i socialtjänstlagen (SoL).", D, [cite("SoL")]),
    ("Reglerna finns i socialtjänstlagen, SoL.", D, [cite("SoL")]),
    ("Anmälan gjordes enligt 14 kap. 1 § SoL (2001:453).", D, [cite("SoL", "14", "1", sfs="2001:453")]),
    ("Anmälan gjordes enligt 14 kap. 1 § i socialtjänstlagen (2001:453).", D, [cite("SoL", "14", "1", sfs="2001:453")]),
    ("Reglerna finns i 10 kap. 2 § OSL (2009:400).", D, [cite("OSL", "10", "2", sfs="2009:400")]),
    ("Yttrande enligt lagen (1964:167) med särskilda bestämmelser om unga lagöverträdare, LuL, lämnades.", D,
     [cite("LuL", sfs="1964:167")]),
    ("Vård enligt lagen (1990:52) med särskilda bestämmelser om vård av unga (LVU) beslutades.", D, [cite("LVU", sfs="1990:52")]),
    ("Tvångsvård enligt lagen (1988:870) om vård av missbrukare i vissa fall (LVM) övervägdes.", D, [cite("LVM", sfs="1988:870")]),
    ("Uppgifterna lämnades enligt 11§ lagen (1964:167) med särskilda bestämmelser om unga lagöverträdare.", D,
     [cite("LuL", None, "11", sfs="1964:167")]),
    ("Lagen (2017:612) om samverkan vid utskrivning från sluten hälso- och sjukvård tillämpas.", D,
     [cite("2017:612", sfs="2017:612")]),
    ("Information lämnades enligt lag (1976:580) om medbestämmande i arbetslivet.", D, [cite("MBL", sfs="1976:580")]),
    ("Hälso- och sjukvårdslagen (2017:30) gäller för regionen.", D, [cite("HSL", sfs="2017:30")]),
    ("Verkställigheten följer lagen (2020:616) om verkställighet av ungdomsövervakning.", D, [cite("2020:616", sfs="2020:616")]),
    ("Socialtjänstförordningen (2001:937) innehåller fler regler.", D, [cite("SoF", sfs="2001:937")]),
    ("Asylsökande omfattas av lagen (1994:137) om mottagande av asylsökande m.fl.", D, [cite("LMA", sfs="1994:137")]),
    ("Personuppgifter behandlas enligt lag (2001:454) om behandling av personuppgifter inom socialtjänsten.", D,
     [cite("2001:454", sfs="2001:454")]),
    ("Reglerna finns i SFS 2009:400.", D, [cite("OSL", sfs="2009:400")]),
    ("Kommunen tillämpar lag (2099:12) om något helt nytt.", D, [cite("2099:12", sfs="2099:12")]),
    ("Se lag (2099:12).", D, [cite("2099:12", sfs="2099:12")]),
    ("Enligt 3 § lag (2099:12) om provverksamhet ska kommunen rapportera.", D, [cite("2099:12", None, "3", sfs="2099:12")]),
    ("Försöket regleras i förordningen (2098:7) om försöksverksamhet med nya arbetssätt.", D, [cite("2098:7", sfs="2098:7")]),
    ("Bestämmelsen (SFS 2097:3) har ännu inte trätt i kraft.", D, [cite("2097:3", sfs="2097:3")]),
    # --- which version: the document's date, or the SFS number written ---------------------------------
    ("Anmälan gjordes enligt 14 kap. 1 § SoL.", "2024-05-01", [cite("SoL", "14", "1", sfs="2001:453")]),
    ("Orosanmälan kom in enligt 14 kap. 1 § SoL.", "2025-09-01", [cite("SoL", "14", "1", sfs="2025:400")]),
    ("Nämnden följer socialtjänstlagen (2001:453) i detta ärende.", "2025-09-01", [cite("SoL", sfs="2001:453")]),
    ("Ärendet inleddes enligt SoL (2001:453).", "2025-09-01", [cite("SoL", sfs="2001:453")]),
    ("Beslutet fattades enligt socialtjänstlagen.", "2025-06-30", [cite("SoL", sfs="2001:453")]),
    ("Beslutet fattades enligt SoL.", "2025-07-01", [cite("SoL", sfs="2025:400")]),
    ("Biståndet prövades enligt socialtjänstlagen.", "1995-03-01", [cite("SoL", sfs="1980:620")]),
    ("Biståndet prövades enligt SoL.", "2002-01-01", [cite("SoL", sfs="2001:453")]),
    ("En anmälan enligt 14 kap. 1 § SoL kom in från skolan.", None, [cite("SoL", "14", "1", sfs=None)]),
    ("En LVU-placering blev nödvändig.", None, [cite("LVU", sfs="1990:52")]),
    ("Den nya socialtjänstlagen (2025:400) trädde i kraft i juli.", "2025-09-01", [cite("SoL", sfs="2025:400")]),
    ("Ärendet avgjordes enligt förvaltningslagen.", "2015-03-01", [cite("FL", sfs="1986:223")]),
    ("Ärendet avgjordes enligt förvaltningslagen.", "2020-03-01", [cite("FL", sfs="2017:900")]),
    ("Beslutet fattades enligt kommunallagen.", "2010-03-01", [cite("KL", sfs="1991:900")]),
    ("Vården gavs enligt HSL.", "2010-03-01", [cite("HSL", sfs="1982:763")]),
    ("Vården gavs enligt HSL.", "2020-03-01", [cite("HSL", sfs="2017:30")]),
    ("Ordningsvakterna arbetar enligt lagen om ordningsvakter.", "2024-05-01", [cite("2023:421", sfs="2023:421")]),
    ("Försäljningen regleras i tobakslagen.", "2020-03-01", [cite("LTLP", sfs="2018:2088")]),
    ("Sekretessen följde av sekretesslagen.", "2005-01-01", [cite("SekrL", sfs="1980:100")]),
    ("Uppgifterna behandlades enligt personuppgiftslagen.", "2010-01-01", [cite("PuL", sfs="1998:204")]),
    ("Uppgifterna behandlades enligt PUL.", "2010-01-01", [cite("PuL", sfs="1998:204")]),
    # --- anaphora: the law last cited ------------------------------------------------------------------
    ("Anmälan gjordes enligt 14 kap. 1 § SoL. Av 6 § samma lag följer att nämnden ska agera.", D,
     [cite("SoL", "14", "1"), cite("SoL", None, "6")]),
    ("Vård beslutades enligt 2 § LVU. Enligt 12 § nämnda lag kan barnet placeras på särskilt ungdomshem.", D,
     [cite("LVU", None, "2"), cite("LVU", None, "12")]),
    ("Enligt LVM kan vård ges. Av 4 § samma lag framgår förutsättningarna.", D, [cite("LVM"), cite("LVM", None, "4")]),
    ("Beslut fattas enligt 2 § LVU. Vidare framgår av 3 § lagen att vård kan ges.", D,
     [cite("LVU", None, "2"), cite("LVU", None, "3")]),
    ("Yttrande lämnas enligt 11 § LuL. Enligt 12 § denna lag får åklagaren begära mer.", D,
     [cite("LuL", None, "11"), cite("LuL", None, "12")]),
    ("Det framgår av 26 kap. 1 § OSL och 10 kap. 2 § samma lag.", D, [cite("OSL", "26", "1"), cite("OSL", "10", "2")]),
    ("Enligt 2 kap. 1 § KL och 5 kap. 1 § samma lag ska nämnden agera.", D, [cite("KL", "2", "1"), cite("KL", "5", "1")]),
    ("Enligt SoL och LVU ska barnets bästa beaktas. Av 2 § sistnämnda lag framgår mer.", D,
     [cite("SoL"), cite("LVU"), cite("LVU", None, "2")]),
    ("Se 5 kap. 11 och 12 §§ skollagen (2010:800)\noch 6 kap. 2 § samma lag.", D,
     [cite("SkolL", "5", "11"), cite("SkolL", "5", "12"), cite("SkolL", "6", "2", sfs="2010:800")]),
    # "förstnämnda" takes the earlier of the last two laws; an anaphor takes a law of its own kind
    ("Vård kan ges enligt LVU och LVM. Av 4 § förstnämnda lag framgår förutsättningarna.", D,
     [cite("LVU"), cite("LVM"), cite("LVU", None, "4")]),
    ("Beslutet grundas på 4 kap. 1 § SoL och 11 § LuL. Enligt 2 § förstnämnda lagen gäller mer.", D,
     [cite("SoL", "4", "1"), cite("LuL", None, "11"), cite("SoL", None, "2")]),
    ("Uppgifterna lämnas enligt 3 § socialtjänstförordningen och 14 kap. 1 § SoL. "
     "Av 4 § förordningen framgår hur.", D,
     [cite("SoF", None, "3"), cite("SoL", "14", "1"), cite("SoF", None, "4")]),
    ("Straffet bestäms enligt 32 kap. 1 § BrB. Vård ges enligt 2 § LVU. Av 3 § balken följer mer.", D,
     [cite("BrB", "32", "1"), cite("LVU", None, "2"), cite("BrB", None, "3")]),
    ("Beslut fattas enligt 2 § LVU. Av 5 § förordningen framgår formerna.", D,
     [cite("LVU", None, "2"), cite(None, None, "5")]),
    # --- line breaks inside a citation ---------------------------------------------------------------
    ("Anmälan gjordes enligt 14 kap.\n1 § SoL.", D, [cite("SoL", "14", "1")]),
    ("Anmälan gjordes enligt 14 kap. 1 §\nSoL.", D, [cite("SoL", "14", "1")]),
    ("Anmälan gjordes enligt 14 kap. 1 § socialtjänstlagen\n(2001:453) SoL.", D, [cite("SoL", "14", "1", sfs="2001:453")]),
    ("Yttrandet skrevs enligt 11§\nLuL.", D, [cite("LuL", None, "11")]),
    ("Sekretess enligt offentlighets- och\nsekretesslagen gäller.", D, [cite("OSL")]),
    ("Yttrande enligt lagen (1964:167) med särskilda\nbestämmelser om unga lagöverträdare, LuL.", D, [cite("LuL", sfs="1964:167")]),
    ("Vård enligt lagen med särskilda bestämmelser\nom vård av unga beslutades.", D, [cite("LVU")]),
    # --- chapters, and provisions the text gives no law for ----------------------------------------------
    ("Enligt 14 kap. SoL finns en anmälningsplikt.", D, [cite("SoL", "14")]),
    ("Det följer av 14 kap. socialtjänstlagen.", D, [cite("SoL", "14")]),
    ("Sekretessen finns i 26 kap. OSL.", D, [cite("OSL", "26")]),
    ("Se 2–3 kap. SoL om kommunens ansvar.", D, [cite("SoL", "2")]),
    ("Jämför (14 kap. 1 § SoL) ovan.", D, [cite("SoL", "14", "1")]),
    ("Polisen anmälde (se 14 kap. 1 § SoL) och nämnden agerade.", D, [cite("SoL", "14", "1")]),
    ("Av 3 § framgår att nämnden ska yttra sig.", D, [cite(None, None, "3")]),
    ("Av 6 § samma lag framgår inget mer.", D, [cite(None, None, "6")]),
    # a number after "§" is a punkt only when a law follows: not "12 dagar", "3 gånger"
    ("Beslut ska fattas enligt 7 § 12 dagar efter ansökan.", D, [cite(None, None, "7")]),
    ("Tillsyn sker enligt 11 § 3 gånger per år.", D, [cite(None, None, "11")]),
    ("Enligt 2 kap. 5 § ska ärendet beredas.", D, [cite(None, "2", "5")]),
    ("Se 1 kap. 1 § SoL.\n\nI 2 kap. 1 § finns mer.", D, [cite("SoL", "1", "1"), cite(None, "2", "1")]),
    # --- no citation ------------------------------------------------------------------------------------
    ("Lagstiftningen på området är omfattande.", D, []),
    ("Uppgifter får bara lämnas ut enligt lag.", D, []),
    ("Lagarna har ändrats flera gånger.", D, []),
    ("Det var lagom många deltagare på mötet.", D, []),
    ("Materialet förvaras i lagerlokalen.", D, []),
    ("Lagen är tydlig på den punkten.", D, []),
    ("Bestämmelserna i förordningen ändrades i fjol.", D, []),
    ("Laget vann matchen mot polisen.", D, []),
    ("Lagrummet tolkas olika av domstolarna.", D, []),
    ("Socialtjänsten kontaktade skolan.", D, []),
    ("Socialtjänstlagstiftningen är omfattande.", D, []),
    ("Solen sken när mötet började.", D, []),
    ("Det var sol hela dagen i Solna.", D, []),
    ("Kontakta SOLNA stad.", D, []),
    ("Resan gick till Luleå.", D, []),
    ("Mötet börjar kl. 9 i stora salen.", D, []),
    ("Mötet slutade kl. 14:30.", D, []),
    ("Se kapitel 3 i rapporten.", D, []),
    ("Se 3 kap. i rapporten.", D, []),
    ("Mer finns i 14 kap.", D, []),
    ("Den 14 september kom anmälan.", D, []),
    ("Enligt § 5 i avtalet ska parterna samråda.", D, []),
    ("Paragrafen i avtalet är otydlig.", D, []),
    ("Rapporten omfattar 14 sidor och 3 bilagor.", D, []),
    ("Socialnämnden beslutade 2023-05-16 § 84 att godkänna rapporten.", D, []),
    ("Se SOU 2023:15 om samverkan.", D, []),
    ("Brås rapport 2023:5 visar på en ökning.", D, []),
    ("Förslaget finns i (prop. 2024/25:89).", D, []),
    ("Ny lagstiftning väntas nästa år.", D, []),
    ("Författningen kommenteras i avsnitt 4.", D, []),
]


def _row_id(row) -> str:
    text, date, _ = row
    short = text.replace("\n", "⏎")[:60]
    return f"{short}@{date}" if date != D else short


def _project(m) -> tuple:
    return (m.law, m.chapter, m.section, m.section_end, m.paragraph, m.point)


@pytest.fixture(scope="module")
def finder():
    return default_finder()


def test_table_is_large_and_distinct():
    keys = [(text, date) for text, date, _ in ROWS]
    assert len(ROWS) >= 150
    assert len(set(keys)) == len(keys), "a row is listed twice"


@pytest.mark.parametrize("text,date,expected", ROWS, ids=[_row_id(r) for r in ROWS])
def test_citation_forms(finder, text, date, expected):
    found = finder.find(text, date)
    got = [_project(m) for m in found]
    assert got == [tuple(e[:6]) for e in expected], [text[m.start:m.end] for m in found]
    for e, m in zip(expected, found):
        if len(e) == 7:
            assert m.sfs == e[6], f"sfs of {text[m.start:m.end]!r}"


@pytest.mark.parametrize("text,date,expected", ROWS, ids=[_row_id(r) for r in ROWS])
def test_spans_are_in_order_and_trimmed(finder, text, date, expected):
    found = finder.find(text, date)
    assert [m.start for m in found] == sorted(m.start for m in found), "not in document order"
    for m in found:
        assert 0 <= m.start < m.end <= len(text)
        span = text[m.start:m.end]
        assert span == span.strip()
        if m.section is not None:
            assert "§" in span
        if m.law is not None and m.sfs is not None:
            assert len(m.sfs.split(":")) == 2


# --- spans, ranges of chapters, how the SFS number was decided ---------------------------------

@pytest.mark.parametrize("text,span", [
    ("Anmälan gjordes enligt 14 kap. 1 § SoL i mars.", "14 kap. 1 § SoL"),
    ("Handläggaren skriver LUL-yttranden varje vecka.", "LUL-yttranden"),
    ("Yttrande enligt lagen (1964:167) med särskilda bestämmelser om unga lagöverträdare, LuL, lämnades.",
     "lagen (1964:167) med särskilda bestämmelser om unga lagöverträdare, LuL"),
    ("Vård enligt lagen (1990:52) med särskilda bestämmelser om vård av unga (LVU) beslutades.",
     "lagen (1990:52) med särskilda bestämmelser om vård av unga (LVU)"),
    ("Sekretess gäller enligt 26 kap. 1 § offentlighets- och sekretesslagen.", "26 kap. 1 § offentlighets- och sekretesslagen"),
    ("Reglerna finns i socialtjänstlagen (2001:453).", "socialtjänstlagen (2001:453)"),
    ("Socialtjänstlagens bestämmelser gäller.", "Socialtjänstlagens"),
])
def test_span_text(finder, text, span):
    found = finder.find(text, D)
    assert len(found) == 1
    assert text[found[0].start:found[0].end] == span


def test_every_item_of_an_enumeration_shares_the_span(finder):
    text = "Nämnden har ansvar enligt 14 kap. 1 och 2 §§ SoL."
    found = finder.find(text, D)
    assert {text[m.start:m.end] for m in found} == {"14 kap. 1 och 2 §§ SoL"}


def test_chapter_range(finder):
    (m,) = finder.find("Se 2–3 kap. SoL om kommunens ansvar.", D)
    assert (m.chapter, m.chapter_end, m.section) == ("2", "3", None)


@pytest.mark.parametrize("text,date,basis", [
    ("Reglerna finns i socialtjänstlagen (2001:453).", D, "written"),
    ("Reglerna finns i socialtjänstlagen (2001:453).", "2025-09-01", "written"),
    ("Ärendet handläggs enligt SoL.", D, "document_date"),
    ("En LVU-placering blev nödvändig.", D, "registry"),
    ("Ärendet handläggs enligt SoL.", None, "ambiguous"),
])
def test_sfs_basis(finder, text, date, basis):
    (m,) = finder.find(text, date)
    assert m.sfs_basis == basis


# --- through the whole pipeline -------------------------------------------------------------------

DATED_REPORT = """Tjänsteutlåtande
{date}

Rapport om orosanmälningar från polisen i stadsdelen

Bakgrund

Polisen gör varje vecka anmälningar enligt 14 kap. 1 § SoL till socialtjänsten.

Ärendet

Handläggarna skriver LUL-yttranden och följer 11 § LuL.

Förvaltningens synpunkter

Förvaltningen föreslår att nämnden godkänner rapporten.
"""


def test_pipeline_citations_carry_section_heading_and_date(extract):
    rec = extract(DATED_REPORT.format(date="2025-09-15"))
    assert rec.metadata.date == "2025-09-15"
    got = [(c.law, c.sfs, c.chapter, c.section, c.section_heading) for c in rec.law_citations]
    assert got == [
        ("SoL", "2025:400", "14", "1", "Bakgrund"),
        ("LuL", "1964:167", None, None, "Ärendet"),
        ("LuL", "1964:167", None, "11", "Ärendet"),
    ]
    for c in rec.law_citations:
        assert rec.text[c.span.start:c.span.end] == c.span.text


def test_pipeline_undated_sol_has_no_sfs_and_a_warning(extract):
    rec = extract("Polisen gör anmälningar enligt 14 kap. 1 § SoL till socialtjänsten varje vecka.")
    assert rec.metadata.date is None
    (c,) = rec.law_citations
    assert (c.law, c.sfs) == ("SoL", None)
    assert any("SoL" in w for w in rec.warnings)


@pytest.mark.parametrize("text,expected", [
    ("Anmälan gjordes enligt SoL 14:1 samma dag.", [("SoL", "14", "1")]),
    ("Enligt 14:1 SoL ska anmälan göras.", [("SoL", "14", "1")]),
    ("Mötet börjar 14:30 i stora salen.", []),
    ("Förhållandet mellan grupperna var 3:1.", []),
])
def test_chapter_colon_section_notation(finder, text, expected):
    assert [(c.law, c.chapter, c.section) for c in finder.find(text, "2024-02-01")] == expected


@pytest.mark.parametrize("text,law", [
    ("Anmälan görs enligt 14 kap. 1 § SoL.", "SoL"),
    ("Beslutet fattas enligt förvaltningslagen.", "FL"),
])
def test_an_undecided_version_is_reported(pipeline, text, law):
    record = pipeline.extract_text(text)  # no date: old and new versions cannot be told apart
    assert all(c.sfs is None for c in record.law_citations if c.law == law)
    assert any(w.startswith(f"{law} cited without SFS number") for w in record.warnings)


def test_a_dated_document_has_no_version_warning(pipeline):
    record = pipeline.extract_text("Tjänsteutlåtande\n\nDatum 2023-03-01\n\nAnmälan görs enligt 14 kap. 1 § SoL.")
    assert not any("without SFS number" in w for w in record.warnings)
