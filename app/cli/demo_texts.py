"""Report texts for the generated demo cases, by deviation category and case type.

The texts are fixed (no names, no dates): `flask demo generate --if-empty` recognises generated
data by them.
"""

from __future__ import annotations

DEVIATION_TEXTS: dict[str, tuple[str, ...]] = {
    "Fall": (
        "Boende hittades sittande på golvet vid sängen vid morgonrundan. Inga synliga skador; "
        "sjuksköterskan tittade till hen.",
        "Brukaren föll i badrummet vid duschen och slog i armbågen. Ett litet blåmärke.",
        "Boende halkade på väg till toaletten under natten och blev liggande tills nattpersonalen "
        "kom på rond.",
        "Brukaren snubblade på mattan i hallen i samband med hemtjänstbesöket. Ingen skada.",
        "Boende gled ur rullstolen vid förflyttning till matbordet. Personalen hjälpte upp hen.",
        "Boende föll i trapphuset på väg ut på promenad med personal. Skrapsår på knät.",
    ),
    "Läkemedel": (
        "Kvällsdosen av läkemedel gavs inte; dospåsen låg kvar i dosetten vid nattbesöket.",
        "Signering saknas för morgonens läkemedel. Oklart om läkemedlet gavs.",
        "Fel tidpunkt för insulin: dosen gavs två timmar för sent på grund av schemaändring.",
        "Läkemedel hittades på golvet i brukarens rum vid städning.",
        "Vid överlämning saknades en tablett i dospåsen; apoteket kontaktades.",
    ),
    "Brister i bemötande": (
        "Anhörig upplevde att personalen talade nedlåtande till den boende vid middagen.",
        "Brukaren berättar att personalen inte presenterade sig och var stressad vid besöket.",
    ),
    "Brister i dokumentation": (
        "Genomförandeplanen var inte uppdaterad efter boendes återkomst från sjukhuset.",
        "Social dokumentation saknas för en hel vecka för en brukare.",
    ),
    "Brister i omvårdnad": (
        "Boende fick inte hjälp med munvård under flera dagar enligt anhörig.",
        "Brukaren hade inte fått byta inkontinensskydd sedan morgonen vid kvällsbesöket.",
        "Boende satt kvar i rullstolen hela eftermiddagen trots att vila ingår i planeringen.",
    ),
    "Brister i rutiner/följsamhet till rutin": (
        "Nyckelkvittens saknades vid överlämning av brukarens nyckel mellan två grupper.",
        "Rutinen för tillsyn nattetid följdes inte; tillsynen gjordes en gång i stället för tre.",
    ),
    "Hot och våld": (
        "Boende slog en medboende på armen i dagrummet. Personalen skilde dem åt.",
        "Brukare blev hotfull mot personal vid besöket; besöket avbröts och gjordes med två personal.",
    ),
    "Stöld/ekonomiska övergrepp": (
        "Anhöriga saknar kontanter som låg i den boendes plånbok i byrålådan.",
        "Brukarens bankkort saknas efter att kortet användes vid ett inköp med personal.",
    ),
    "Utebliven insats": (
        "Lunchbesöket hos brukaren uteblev; hen fick ingen lunch förrän vid eftermiddagsbesöket.",
        "Dusch enligt beslut blev inte av denna vecka på grund av personalbrist.",
        "Kvällsbesöket fanns inte med i planeringen och brukaren kom i säng först vid nattbesöket.",
    ),
    "Teknik/larm": (
        "Trygghetslarmet fungerade inte vid test; batteriet var urladdat.",
        "Dörrlarmet på avdelningen gick inte fram till personalens telefoner under kvällen.",
    ),
    "Tryckskada": (
        "Rodnad på hälen som inte bleknar upptäcktes vid dusch; sjuksköterskan kontaktades.",
        "Trycksår på korsbenet upptäcktes; lägesändringar var inte dokumenterade.",
    ),
    "Smitta": ("Vinterkräksjuka på avdelningen; basala hygienrutiner följdes inte fullt ut.",),
    "Medicintekniska produkter": (
        "Liftselen hade ett trasigt band och togs ur bruk.",
        "Rollatorns broms fungerade inte; brukaren var nära att falla.",
    ),
    "Samverkan": (
        "Brukaren skrevs ut från sjukhuset utan att hemtjänsten fått information om nya insatser.",
    ),
    "Övrigt": ("Boendes rum var inte städat enligt planering under två veckor.",),
}

LEX_SARAH_TEXTS = (
    "Boende lämnades ensam i duschen trots att genomförandeplanen anger att personal ska vara med "
    "hela tiden.",
    "Personal höjde rösten och hotade en boende med att inte få gå ut på promenad.",
    "En brukare fick inte sina måltider under en hel dag eftersom besöken inte var planerade.",
    "Nattpersonalen svarade inte på larm från en boende på över en timme.",
    "En brukare låstes in i sin lägenhet utan beslut när personalen gick för dagen.",
    "Boende låg kvar i våt säng hela natten trots flera tillsynsbesök.",
    "Personal tog en boendes mobiltelefon ifrån hen som bestraffning.",
    "En brukare med matsvårigheter fick fel konsistens på maten och satte i halsen.",
)

LEX_MARIA_TEXTS = (
    "Patienten fick sin insulindos två gånger, både av dagpersonalen och av kvällspersonalen.",
    "Patienten fick en annan patients dospåse vid lunchens läkemedelsutdelning.",
    "Vid förflyttning utan lift föll patienten och röntgen visade en höftfraktur.",
    "Ordinerad blodförtunnande behandling sattes inte in efter utskrivning från sjukhuset.",
    "Infusionspumpen larmade inte när slangen var avklämd; antibiotikan uteblev i sex timmar.",
    "Trycksår kategori 3 utvecklades trots ordinerade lägesändringar.",
)

INVESTIGATION_CAUSES = (
    ("processes_routines", "routine_missing_or_not_followed", "Rutinen följdes inte."),
    ("communication", "communication_failure", "Informationen nådde inte fram vid överlämning."),
    ("technology_equipment", "technical_fault", "Tekniken fungerade inte och kontrollerades inte."),
)


def all_texts() -> tuple[str, ...]:
    deviations = tuple(text for texts in DEVIATION_TEXTS.values() for text in texts)
    return deviations + LEX_SARAH_TEXTS + LEX_MARIA_TEXTS
