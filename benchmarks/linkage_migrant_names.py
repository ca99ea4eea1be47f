"""Migrants' family names for the linkage generator (``linkage_data.py``), by citizenship, as
a mixture of the country's ethnic groups with the shares published for them.

Why (the generator check of 2026-12-06, ``linkage_data.py --namesakes``): the first tables
gave each migrant population 15–25 family names on a Zipf curve, so that the commonest name
was held by 17–22 % of the population (Okafor 17 % of Nigerians, Kouassi 18 % of Ivorians,
Diallo 21 % of Guineans, Ndiaye 22 % of Senegalese, Ngono 22 % of Cameroonians, Santos 18 % of
Filipinos), and 72–91 % of the migrants had a namesake (same given and family name) among
10,000 persons, against 32 % of the Moroccans. Published facts say otherwise:

- Guinea: Diallo is held by "roughly 10 percent" of Guineans; about two fifths of Guineans are
  Fulbe, and almost all Fulbe carry one of four names (Diallo/Jalloh, Barry, Baldé/Bah, Sow),
  none much commoner than the others (Slate, "Nafissatou and Amadou", 27 July 2011,
  https://slate.com/news-and-politics/2011/07/does-dominique-strauss-kahn-s-accuser-nafissatou-diallo-have-the-most-common-surname-in-guinea.html);
  a list of Guinea's family names drawn up by guineeactu.info counts 282 of them
  (http://guineeactu.info/HTML/guinee-et-d%E2%80%99abord-se-connaitre-soi-meme-appel-a-la-cooperation.htm).
- Côte d'Ivoire: Akan 38.1 %, Gur 21.2 %, northern Mandé 19 %, southern Mandé 9.1 %, Krou
  11.3 % (https://www.africansecuritynetwork.org/assn/les-malinke-en-cote-divoirethe-malinke-in-cote-divoire/),
  over sixty ethnic groups; Akan family names are largely the seven day names (Kouassi: a boy
  born on a Sunday; https://venere.it/en/the-meaning-and-history-of-the-last-name-kouassi).
- Nigeria: "more than 250 ethnic groups": Hausa 30 %, Yoruba 15.5 %, Igbo 15.2 %, Fulani 6 %,
  Tiv 2.4 %, Kanuri 2.4 %, Ibibio 1.8 %, Ijaw 1.8 %, other 24.7 % (CIA World Factbook, 2018
  estimate, http://www.indexmundi.com/en/facts/2001/nigeria/ethnic_groups.html); Hausa and
  Fulani family names are mostly Islamic given names (Ibrahim, Abdullahi, Abubakar, Musa,
  Mohammed, Sani, Adamu, Usman, Umar, Lawal: https://tuko.co.ke/396765-most-common-nigerian-surnames-meanings.html);
  Yoruba and Igbo names are compounds (Ade-yemi, Ola-wale, Nwa-chukwu, Chukwu-emeka).
- Senegal: Wolof 43.3 %, Pulaar 23.8 %, Serer 14.7 %, Diola 3.7 %, Mandinka 3 %, Soninke 1.1 %
  (1998, https://www.nationsencyclopedia.com/Africa/Senegal-ETHNIC-GROUPS.html); the Wolof's
  commonest names and the four Fulbe names are listed at
  https://synonyme-du-mot.com/les-articles/pourquoi-dit-on-senegal-ndiaye.
- Cameroon: about 250 ethnic groups; Highlanders (Bamileke, Bamoun) 38 %, southern forest
  (Beti: Ewondo, Bulu, Fang) 18 %, coastal (Duala, Bassa) 12 %, Fulani 14 %, Kirdi 18 %
  (https://en.wikipedia.org/wiki/Ethnic_groups_in_Cameroon). No list of Kirdi family names
  was found: their share is left out (the others scaled up).
- The Philippines: Santos 1.7 million bearers, Reyes 1.1 million, Cruz 850,000, Bautista
  450,000 (https://bcryj.com/content-128879/filipino-surnames-history-meanings-cultural-significance-explained)
  in a population of 109,035,343 (Philippine Statistics Authority, 2020 census): 1.6 %, 1.0 %,
  0.8 %, 0.4 %; the names come from the 1849 Catálogo alfabético de apellidos (thousands of
  Spanish and native names).

So each population's family names are drawn here from its ethnic groups at the published
shares, within a group from attested names (the commonest first, on a Zipf curve) and, where
names are compounds (Yoruba, Igbo, Edo, Bamileke, Tagalog), from compounds of attested
elements, which stand for the long tail a list cannot hold. The shares are facts; the lists of
names inside a group, the Zipf exponents and the split between a group's attested names and
its compounds are not measured anywhere and are stated as such. Given names are unchanged.
"""

# code → [(share, attested names "Latin 1,Latin 2|arabic;…" commonest first, their Zipf exponent
#          or their weights, (prefixes, suffixes, share of the group held by compounds) or None)]
FAMILY_GROUPS = {
    "NG": [
        (  # Hausa 30 % + Fulani 6 %: Islamic names used as family names
            0.36,
            "Musa,Moussa|موسى;Ibrahim,Ibraheem|إبراهيم;Abubakar,Aboubakar|أبو بكر;"
            "Mohammed,Muhammad,Mohammad|محمد;Abdullahi,Abdullah|عبد الله;Sani,Sanni;"
            "Bello,Belo|بيلو;Usman,Usmanu|عثمان;Umar,Umaru|عمر;Adamu,Adam|آدم;Yusuf,Yusufu|يوسف;"
            "Aliyu,Aliu|علي;Sulaiman,Suleiman|سليمان;Lawal,Lawan;Garba;Haruna,Harouna|هارون;"
            "Idris,Idrisu|إدريس;Isah,Isa|عيسى;Yakubu,Yakub|يعقوب;Abdulkadir,Abdulkadri;"
            "Shehu,Shehou;Danjuma;Hassan,Hasan|حسن;Salisu;Tijani,Tijjani;Ahmed,Ahmad|أحمد;"
            "Ismail,Ismaila|إسماعيل;Bashir,Bashiru|بشير;Muhammadu;Babangida",
            0.8,
            None,
        ),
        (
            0.155,  # Yoruba
            "Adeyemi,Adeyemy;Adebayo,Adebayor;Ogunleye,Ogunleyi;Oyelaran;Ojo,Ojoh;Akinyemi;"
            "Olawale;Oladipo;Adekunle;Ogunbiyi;Bakare;Alabi;Oyewole;Afolabi;Balogun",
            0.8,
            (
                "Ade,Ola,Olu,Akin,Ayo,Oluwa,Ogun,Oye,Fola,Bola,Kola,Abi,Oni,Omo,Ife,Ibi,Ajayi",
                "yemi,bayo,wale,kunle,tunde,sanya,lade,seun,gbenga,dele,femi,mola,labi,bisi,"
                "yinka,niyi,toye,kanmi,wumi,sola,jide,bowale,mide,gboye,nuga",
                0.7,
            ),
        ),
        (
            0.152,  # Igbo
            "Okafor,Okafo;Okonkwo,Okonkwor;Nwachukwu,Nwachuku;Eze,Ezeh;Obi,Obih;Okoro,Okorro;"
            "Nnamdi,Namdi;Nwankwo;Chukwu;Okeke;Onyeka;Igwe;Uzor;Ani,Anih;Nwosu",
            0.8,
            (
                "Nwa,Chukwu,Chi,Oko,Eze,Obi,Uche,Ike,Nna,Onye,Ibe,Uzo,Ama,Ogbo",
                "eze,chukwu,nna,ka,di,ke,buike,meka,nwa,kwo,gozie,oma,kere,ocha,ama,dike,ego,"
                "agu,uba,nta",
                0.7,
            ),
        ),
        (  # the other 33 % (Tiv, Kanuri, Ibibio, Ijaw, Edo and some 240 more)
            0.333,
            "Omoregie,Omorogie;Igbinedion,Igbinidion;Osagie,Osayi;Edosomwan,Edosonwan;"
            "Osaghae,Osaghe;Idahosa,Idahossa;Ehigiator,Ehigiato;Aigbe,Aigbeh;Ogbebor,Ogbeibor;"
            "Uwaifo,Uwaifoh;Iyamu,Iyamuh;Ekhator,Ekator;Tarfa;Ukpong;Etim;Effiong;Okon;Bassey;"
            "Ekpo;Ebiere;Tonye;Iorliam;Tersoo;Kashim;Modu",
            0.7,
            (
                "Osa,Ehi,Igbi,Omo,Ede,Iye,Aigbe,Uwa,Idah,Ogbe,Ose,Eki,Aka,Iro,Ekpe,Uko",
                "gie,ghae,nedion,regie,somwan,ator,osa,bor,fo,ro,mwen,kpo,yin,ese,nyi,tim",
                0.75,
            ),
        ),
    ],
    "CI": [
        (
            0.381,  # Akan: the day names and a few others
            "Kouassi,Kouasi,Kwasi;Kouadio,Kwadio;Konan,Konnan;Kouakou,Kwaku;Yao,Yaho;"
            "Koffi,Kofi;Kouamé,Kouame;N'Guessan,Nguessan,N Guessan;Kra,Krah;Aka,Akah;"
            "N'Dri,Ndri;Amani;Tano;Brou;Kacou,Kakou;Assi;Ehui;Allou;Adou;Yapi;N'Goran,Ngoran;"
            "Kanga;Koua;Ahoussi;Kobenan;Ano;Yoboué,Yoboue;Attobra;Boni;Kassi;Oka;Anoh;Djé,Dje",
            0.7,
            None,
        ),
        (
            0.212,  # Gur (Senufo, Lobi, Koulango…)
            "Soro,Sorho;Silué,Silue;Yéo,Yeo;Tuo;Coulibaly,Kulibali,Coulibali|كوليبالي;"
            "Ouattara,Ouatara,Wattara;Koné,Kone|كوني;Sékongo,Sekongo;Dagnogo;Sanogo;Fofana,Fofanah;"
            "Kambou;Da;Hien;Palé,Pale;Somé,Some;Sinan;Nagalo;Tiéné,Tiene",
            0.8,
            None,
        ),
        (
            0.19,  # northern Mandé (Malinké, Dioula)
            "Koné,Kone|كوني;Traoré,Traore|تراوري;Ouattara,Ouatara,Wattara;Bamba,Bambah;"
            "Diabaté,Diabate;Touré,Toure|توري;Doumbia,Dumbia;Diomandé,Diomande;Bakayoko;"
            "Cissé,Cisse|سيسي;Dembélé,Dembele;Konaté,Konate;Kamagaté,Kamagate;Sylla,Sila;"
            "Kanté,Kante;Diarrassouba;Méité,Meite;Sangaré,Sangare;Koïta,Koita;Savané,Savane;"
            "Cissoko;Diakité,Diakite;Fofana,Fofanah;Coulibaly,Kulibali,Coulibali|كوليبالي",
            0.8,
            None,
        ),
        (
            0.091,  # southern Mandé (Dan/Yacouba, Gouro)
            "Gueu;Tia;Zoh;Gba;Doh;Sahi;Gbamélé,Gbamele;Zamblé,Zamble;Irié,Irie;Goli;Boti;"
            "Gohi;Trazié,Trazie;Tra;Vanié,Vanie;Bamba,Bambah;Kei;Zié,Zie",
            0.8,
            None,
        ),
        (
            0.113,  # Krou (Bété, Guéré, Dida, Wobé)
            "Gbagbo,Gbagbeu;Dago;Gnaoré,Gnaore;Zadi;Tapé,Tape;Djédjé,Djedje;Séri,Seri;"
            "Gnahoré,Gnahore;Bléhoué,Blehoue;Kipré,Kipre;Digbeu;Koudou;Zokou;Gnépa,Gnepa;"
            "Dogbo;Lago;Oulaï,Oulai;Zézé,Zeze;Gueï,Guei;Téhé,Tehe;Dagbo;Gnonsio",
            0.8,
            None,
        ),
    ],
    "GN": [
        (  # Fulbe: the four names, none much commoner than the others (Slate)
            0.4,
            "Diallo,Dialo,Jallow,Jalloh|ديالو;Barry,Bari|باري;Bah,Ba|با;Sow,So|سو;Baldé,Balde",
            (1, 1, 0.6, 1, 0.4),  # Baldé and Bah one name in four (Slate): 10 % each
            None,
        ),
        (
            0.6,  # the others (Malinké, Soussou, forest peoples): names of guineeactu's list
            "Camara,Kamara|كامارا;Bangoura;Soumah,Souma;Sylla,Sila;Keita,Keïta|كيتا;Condé,Conde;"
            "Touré,Toure|توري;Traoré,Traore|تراوري;Cissé,Cisse,Sisse|سيسي;Kourouma;Kaba,Kabba;"
            "Doumbouya,Dumbuya;Fofana,Fofanah;Kouyaté,Kouyate;Diakité,Diakite;Konaté,Konate;"
            "Kanté,Kante;Magassouba;Yansané,Yansane;Bérété,Berete;Sakho,Sako;Soumaoro;Kamano;"
            "Béavogui,Beavogui;Koivogui;Tolno;Guilavogui;Loua;Haba;Onivogui;Millimono;"
            "Zoumanigui;Somparé,Sompare;Yattara;Kaké,Kake;Mansaré,Mansare;Youla;Diaby;Diané,Diane;"
            "Douno;Doré,Dore;Guirassy;Niéba,Nieba;Léno,Leno;Conté,Conte;Donzo;Damba;Dansoko;"
            "Cissoko;Kéïra,Keira;Soumano;Diakhaby;Diabaté,Diabate;Boiro;Ly;Samoura;Sankhon;Koïta",
            0.8,
            None,
        ),
    ],
    "SN": [
        (
            0.433 + 0.094,  # Wolof, and the 9.4 % of other groups given to the largest
            "Ndiaye,N'Diaye,Njie|نداي;Diop,Dioppe|ديوب;Fall,Fal;Gueye,Guèye;Mbaye,M'Baye;"
            "Mbengue;Thiam,Tiam;Dieng,Jeng;Seck,Sek;Mbacké,Mbacke;Beye;Mbow;Lô,Lo;Samb;Boye;"
            "Ndaw,Ndao;Wade;Ndiouck;Mbodj,Mbodji;Leye;Gaye;Diaw;Niang,Nyang;Niasse;Pène,Pene;"
            "Kassé,Kasse;Mboup;Diagne",
            0.8,
            None,
        ),
        (
            0.238,  # Pulaar
            "Diallo,Dialo|ديالو;Ba,Bah|با;Sow,So|سو;Barry,Bari;Kane,Kan;Sy,Si;Ly,Li;Sall,Sal;"
            "Dia;Ka;Tall,Tal;Wane;Deh;Anne;Niang,Nyang",
            0.8,
            None,
        ),
        (
            0.147,  # Serer
            "Diouf,Dioufe;Faye,Fay;Sarr,Sar;Ndour;Sène,Sene;Ndong;Thiaw;Dione;Ngom;Tine;"
            "Senghor;Diom;Gning;Ndione;Sagne",
            0.8,
            None,
        ),
        (
            0.037,  # Diola
            "Diatta;Badji;Sagna;Goudiaby;Diédhiou,Diedhiou;Manga;Coly;Sambou;Tendeng;Bassène",
            0.8,
            None,
        ),
        (
            0.03,  # Mandinka
            "Cissé,Cisse|سيسي;Dramé,Drame;Touré,Toure|توري;Sané,Sane;Mané,Mane;Sonko;Camara,Kamara;"
            "Kanté,Kante;Fadera;Dabo",
            0.8,
            None,
        ),
        (
            0.011,  # Soninke
            "Diakhaté,Diakhate;Sylla,Sila;Cissokho;Sakho;Diawara;Kanouté,Kanoute;Doucouré",
            0.8,
            None,
        ),
    ],
    "CM": [
        (
            0.38 / 0.82,  # Highlanders (Bamileke, Bamoun)
            "Fotso,Fotsso;Tchoumi,Tchumi;Kamga,Kamgah;Nana,Nanah;Ngassa,Ngasa;"
            "Tchatchoua,Tchatchwa;Kamdem;Tchinda;Fokou;Djoumessi;Kenfack;Tagne;Tchakounte;"
            "Fotsing;Kuate;Njoya;Njikam;Mefire;Tsafack;Tchuente;Simo;Wamba;Tchamba",
            0.7,
            (
                "Tchou,Fo,Kam,Ngue,Ke,Ta,Djou,Tsa,Ma,Tchi,Fon,Kue,Mbou,Nguim,Te,Nou",
                "fack,ga,tso,ndjou,dem,gne,nte,ssa,kou,mo,ffo,kam,tsing,nda,ate,mbou,ko",
                0.6,
            ),
        ),
        (
            0.18 / 0.82,  # southern forest (Beti: Ewondo, Bulu, Fang)
            "Ngono,Ngonno;Mbarga;Atangana;Essomba,Esomba;Owona,Owonna;Biya,Bia;Mballa,Mbala;"
            "Nkoulou,Nkulu;Onana;Abena;Ndzana;Ateba;Essono;Mvondo;Ondoua;Ekani;Eyenga;Fouda;"
            "Tsimi;Bella;Noah;Ayissi;Amougou;Ebode;Olinga;Belinga;Zambo;Mebenga;Manga;Meka",
            0.7,
            None,
        ),
        (
            0.12 / 0.82,  # coast (Duala, Bassa)
            "Ekwalla;Eboa;Ebelle;Ngando;Mbappé,Mbappe;Epée,Epee;Dikongue;Kotto;Moukoko;Ngalle;"
            "Bell;Ekambi;Nyemb;Mbock;Nlend;Makon;Um;Nyobe;Song;Bikoï,Bikoi;Eto'o,Etoo",
            0.7,
            None,
        ),
        (
            0.14 / 0.82,  # Fulani
            "Hamadou,Amadou;Oumarou;Bouba;Aboubakar|أبو بكر;Moussa,Musa|موسى;Hayatou;"
            "Abdoulaye;Alim;Ousmanou;Mohamadou|محمد;Souleymanou;Ahidjo;Bello;Adamou;Issa",
            0.8,
            None,
        ),
    ],
    "PH": [
        (  # the four with counts, at their shares of the population (1.6/1.0/0.8/0.4 %)
            0.038,
            "Santos,Santo;Reyes,Reyez;Dela Cruz,De la Cruz,Delacruz,Cruz;Bautista,Baustista",
            (1.7, 1.1, 0.85, 0.45),  # millions of bearers
            None,
        ),
        (  # the catalogue's next commonest names and Chinese-Filipino ones, continuing the
            # four's curve (about 1.6 % / rank) from rank 5: 4.2 % of the population in all
            0.042,
            "Garcia,García;Mendoza,Mendosa;Ramos,Ramoz;Santiago;Flores,Florez;"
            "Villanueva,Villa Nueva;Diaz,Dias;Gonzales,Gonzalez;Aquino,Akino;Castillo,Castilo;"
            "Torres,Torrez;Dizon,Dison;Manalo,Manalu;Pascual,Pasqual;Navarro,Navaro;"
            "Salazar,Salasar;De Guzman,Deguzman;Del Rosario,Delrosario;De Leon,Deleon;"
            "Fernandez;Lopez;Perez;Rivera;Tolentino;Valdez;Mercado;Soriano;Aguilar;Castro;"
            "Domingo;Francisco;Marquez;Ocampo;Pineda;Rosales;Salvador;Gutierrez;Hernandez;"
            "Morales;Robles;David;Tan;Lim;Go;Uy;Ong;Chua;Sy;Co;Panganiban;Magsaysay;Macaraeg;"
            "Dimaculangan;Dimalanta;Liwanag;Bituin;Sicat;Tanglao;Gatchalian;Soliman;Lacson",
            tuple(1 / r for r in range(5, 66)),
            None,
        ),
        (  # the long tail of the catalogue (thousands of names): Tagalog-like compounds
            0.92,
            "",
            0.0,
            (
                "Dima,Maca,Mag,Pang,Bala,Gat,Laca,Mana,Tala,Sala,Cala,Dala,Maga,Saba,Tiong",
                "lang,tulac,saysay,anan,bitin,ngan,raeg,pagal,sig,tan,dang,yag,bay,lit,guin,"
                "lanta,luyo,sing,ngal",
                1.0,
            ),
        ),
    ],
}


def _spellings(name):
    """A compound's Latin spellings: as composed, with English ``u`` for French ``ou``, with
    doubled letters single (Tchoumi / Tchumi, Ossa / Osa)."""
    out = [name]
    for alt in (name.replace("ou", "u"), _single(name)):
        if alt not in out:
            out.append(alt)
    return tuple(out)


def _single(name):
    return "".join(c for i, c in enumerate(name) if i == 0 or c.lower() != name[i - 1].lower())


def _parse(text):
    for item in filter(None, text.split(";")):
        lat, _sep, ar = item.strip().partition("|")
        spellings = tuple(dict.fromkeys(s.strip() for s in lat.split(",") if s.strip()))
        yield spellings, ar


def _zipf(n, shape):
    if isinstance(shape, tuple):
        return list(shape)
    return [1 / (r + 1) ** shape for r in range(n)]


def family_names(code):
    """[(Latin spellings, Arabic form or "", weight)] for one citizenship, the weights summing
    to 1; a name held in two groups (Koné: Gur and Mandé) comes once with both weights."""
    merged = {}
    for share, text, shape, compounds in FAMILY_GROUPS[code]:
        attested = list(_parse(text))
        names = [(lat, ar) for lat, ar in attested]
        head = 1.0
        tail = []
        if compounds:
            prefixes, suffixes, tail_share = compounds
            head = 1 - tail_share
            seen = {s.lower() for lat, _ar in attested for s in lat}
            for p in prefixes.split(","):
                for x in suffixes.split(","):
                    word = (
                        p + x
                        if not (p[-1] in "aeiou" and x[0] in "aeiou" and p[-1] == x[0])
                        else p + x[1:]
                    )
                    if word.lower() not in seen:
                        seen.add(word.lower())
                        tail.append((_spellings(word), ""))
        weights = _zipf(len(names), shape)
        total = sum(weights) or 1
        for (lat, ar), w in zip(names, weights, strict=True):
            key = lat[0]
            old = merged.get(key, (lat, ar, 0.0))
            merged[key] = (old[0], old[1] or ar, old[2] + share * head * w / total)
        for lat, ar in tail:
            key = lat[0]
            old = merged.get(key, (lat, ar, 0.0))
            merged[key] = (old[0], old[1], old[2] + share * (1 - head) / len(tail))
    total = sum(w for _l, _a, w in merged.values())
    return [(lat, ar, w / total) for lat, ar, w in merged.values()]
