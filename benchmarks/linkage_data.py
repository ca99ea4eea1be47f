"""A seeded generator of person records as Morocco's national referral mechanism sees them, for
the linkage benchmark (``benchmarks/linkage.py``). Plain Python, no Django settings needed.

    records, truth = generate(10_000, seed=7)     # [(record_id, Record)], {record_id: person}

Each true person gets 1–4 records (one per agency that met them), each written the way that
agency writes names: Arabic only, Latin only or both; Latin spellings of one Arabic name
(Mohamed / Mohammed / Muhammad), articles kept, dropped or joined (El Amrani / Amrani /
Alamrani), compounds joined or split (Fatima Zahra / Fatimazahra), the father's name inserted
(Mohamed ben Ahmed), given and family names swapped, the family name missing, typing errors;
the birth date exact, the year only, a 1 January placeholder, an age estimated by the agency
(wrong by up to two years) or missing; sex and citizenship sometimes missing or wrong; phone
numbers (0612… / +212 612… / 00212 612…) and document numbers sometimes.

Hard negatives come from the population itself: siblings (about one person in eight belongs
to a household of 2–3 siblings: same family name and region, birth years 1–6 apart, often the
household's phone) and namesakes (given names are concentrated — Mohamed, Fatima Zahra —
so "Mohamed Alaoui" recurs with other birth years).

Names. No maintained package gives Moroccan names with their attested Arabic form *and* their
Latin spellings (names-dataset and faker give Latin names without the Arabic form, or Arabic
names of the Mashreq without Moroccan French-style spellings), so the tables below are
curated: ~110 male and ~95 female Moroccan given names, ~150 attested family names, each with
its Arabic form and its common Latin spellings. Real Moroccan surnames have a long tail (tens
of thousands), which a list of 150 would make far too concentrated (every Mohamed Alaoui a
namesake); the tail is therefore synthesised from Arabic root patterns (El Haddadi, Hamdaoui,
Benkirane, Bouzekri…: three root consonants in a surname pattern, written in Arabic and in the
French-style Latin spellings of each consonant). Migrants' names (Nigeria, Côte d'Ivoire,
Guinea, Senegal, Cameroon, the Philippines) are Latin with their own spelling variants; some
West African Muslim names also have an Arabic form used by Moroccan agencies.

``meta`` flags (``generate_full``) say which errors each record carries, so the benchmark can
break its false negatives and false positives down by kind.
"""

import dataclasses
import datetime
import hashlib
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
if str(ROOT / "benchmarks") not in sys.path:
    sys.path.insert(0, str(ROOT / "benchmarks"))

import linkage_migrant_names  # noqa: E402

from himaya.linkage.features import Record, document_key, make_record, phone_key  # noqa: E402

# Which migrants' family names: "v2" (linkage_migrant_names.py: the ethnic groups' published
# shares, long tails) or "v1" (the first tables: 15–25 names per country, the commonest held by
# about a fifth of its migrants, which the published facts contradict). The benchmarks take
# ``--names`` to compare the two.
NAMES = "v2"

TODAY = datetime.date(2025, 12, 31)

# --- record error flags (meta) -------------------------------------------------------------------
AR_ONLY = 1
LAT_ONLY = 2
BOTH = 4
FAMILY_MISSING = 8
SWAPPED = 16
TYPO = 32
FATHER = 64  # the father's name inserted ("Mohamed ben Ahmed")
BIRTH_MISSING = 128
BIRTH_ESTIMATED = 256
BIRTH_WRONG = 512  # a wrong exact date (day/month swapped, year off by one)
BIRTH_YEAR_ONLY = 1024  # the year or a 1 January placeholder
CIT_MISSING = 2048
CIT_WRONG = 4096
SEX_WRONG = 8192
SEX_MISSING = 16384
ARTICLE_DROPPED = 32768  # العمراني written عمراني
MIGRANT = 65536
COMPOUND = 131072  # a compound given name (Fatima Zahra, Mohamed Amine)

FLAG_NAMES = {
    AR_ONLY: "Arabic only",
    LAT_ONLY: "Latin only",
    BOTH: "both scripts",
    FAMILY_MISSING: "family name missing",
    SWAPPED: "given/family swapped",
    TYPO: "typing error",
    FATHER: "father's name inserted",
    BIRTH_MISSING: "birth date missing",
    BIRTH_ESTIMATED: "estimated age",
    BIRTH_WRONG: "wrong birth date",
    BIRTH_YEAR_ONLY: "birth year only / 1 Jan",
    CIT_MISSING: "citizenship missing",
    CIT_WRONG: "wrong citizenship",
    SEX_WRONG: "wrong sex",
    SEX_MISSING: "sex missing",
    ARTICLE_DROPPED: "Arabic article dropped",
    MIGRANT: "migrant",
    COMPOUND: "compound given name",
}

# --- names ---------------------------------------------------------------------------------------
# "arabic|Latin 1,Latin 2,…": the first Latin spelling is the most common one.

MALE_MA = """
محمد|Mohamed,Mohammed,Muhammad,Mohamad,Mohammad,Mhamed
أحمد|Ahmed,Ahmad,Ahmid
يوسف|Youssef,Yousef,Youssouf,Yusuf,Youcef
عبد الله|Abdellah,Abdallah,Abdullah,Abdelah
عبد الرحمان|Abderrahmane,Abderrahman,Abdelrahman,Abdurrahman
عبد الكريم|Abdelkrim,Abdelkarim,Abdul Karim
عبد الرحيم|Abderrahim,Abdelrahim,Abderahim
عبد العزيز|Abdelaziz,Abdulaziz
عبد اللطيف|Abdellatif,Abdelatif,Abdul Latif
عبد الحق|Abdelhak,Abdelhaq
عبد السلام|Abdeslam,Abdessalam,Abdesslam,Abdelsalam
عبد الإله|Abdelilah,Abdelillah
عبد الصمد|Abdessamad,Abdelsamad,Abdessamed
عبد الغني|Abdelghani,Abdelghany
عبد المجيد|Abdelmajid,Abdelmadjid
عبد الحميد|Abdelhamid,Abdelhamide
عبد الفتاح|Abdelfattah,Abdelfatah
عبد القادر|Abdelkader,Abdelqader,Abdulkadir
عبد النبي|Abdennabi,Abdenbi
مصطفى|Mustapha,Mustafa,Moustapha,Mostafa
سعيد|Said,Saïd,Saeed,Saaid
رشيد|Rachid,Rashid,Rachide
حسن|Hassan,Hasan,Hassane
حسين|Houssine,Hussein,Hocine,Houcine
خالد|Khalid,Khaled
كريم|Karim,Kareem
عمر|Omar,Umar,Omer
علي|Ali,Aly
إبراهيم|Brahim,Ibrahim,Ibrahime
إسماعيل|Ismail,Smail,Ismael,Ismaïl
إدريس|Driss,Idriss,Idris
هشام|Hicham,Hisham,Hichame
نبيل|Nabil,Nabile
عزيز|Aziz
عثمان|Othmane,Otmane,Outhmane,Osman
أيوب|Ayoub,Ayyoub,Ayub
حمزة|Hamza,Hamzah
بلال|Bilal,Bilel
أنس|Anas,Anass
زكرياء|Zakaria,Zakariya,Zakariae,Zakarya
أمين|Amine,Amin
المهدي|El Mehdi,Mehdi,Elmehdi,Al Mahdi
إلياس|Ilyas,Ilias,Elias,Ilyass
آدم|Adam
سفيان|Soufiane,Sofiane,Sufian,Soufyane
مروان|Marouane,Marwan,Marwane
ياسين|Yassine,Yacine,Yasin,Yassin
عادل|Adil,Adel
جمال|Jamal,Djamal,Jamel
نور الدين|Noureddine,Nour Eddine,Nourdine,Nour-Eddine
صلاح الدين|Salaheddine,Salah Eddine,Salah-Eddine
بدر الدين|Badreddine,Badr Eddine
عز الدين|Azzeddine,Izzeddine,Azeddine
طارق|Tarik,Tariq,Tarek
توفيق|Toufik,Tawfiq,Taoufik,Tawfik
العربي|Larbi,El Arbi,Elarbi
الحسن|Lahcen,El Hassan,Lahsen,Elhassan
الحسين|Lhoussaine,El Houssaine,Lhoucine
الطيب|Tayeb,Taib,Ettayeb
المصطفى|Elmostafa,El Mostafa,Lmostafa
محسن|Mohcine,Mohsine,Mohsin
منير|Mounir,Munir
سمير|Samir,Sameer
ياسر|Yasser,Yassir,Yasir
فؤاد|Fouad,Fuad
جواد|Jawad,Jaouad
زهير|Zouhair,Zuhair,Zohair
المختار|Mokhtar,El Mokhtar,Lmokhtar
عمران|Imrane,Imran,Omrane
وليد|Walid,Oualid,Waleed
سليمان|Slimane,Soulaimane,Souleymane,Sulayman
ميلود|Miloud,Mouloud
الحبيب|Habib,Lahbib,El Habib
أسامة|Oussama,Ousama,Usama,Osama
حميد|Hamid,Hamide
بوشعيب|Bouchaib,Bouchaïb
المعطي|Lmaati,El Maati,Maati
سعد|Saad,Saâd
ريان|Rayan,Rayane,Ryan
يحيى|Yahya,Yahia,Yehia
رضا|Reda,Rida,Ridha
عماد|Imad,Imade,Emad
أنور|Anouar,Anwar,Anour
حكيم|Hakim,Hakime
شكيب|Chakib,Shakib
إسحاق|Ishaq,Ishak,Isaac
موسى|Moussa,Mousa,Musa
عيسى|Aissa,Issa,Aïssa
هارون|Haroun,Harun
زياد|Ziad,Ziyad
نوفل|Naoufal,Nawfal,Noufel
أشرف|Achraf,Ashraf
ربيع|Rabie,Rabii,Rabih
مراد|Mourad,Murad
عبد الواحد|Abdelouahed,Abdelwahed,Abdelouahid
الصديق|Seddik,Essadik,Siddiq
العياشي|Ayachi,Layachi
الجيلالي|Jilali,El Jilali,Jillali
محمد أمين|Mohamed Amine,Mohammed Amine,Mohamed-Amine,Mohamedamine
محمد رضا|Mohamed Reda,Mohammed Reda,Mohamed Rida
محمد علي|Mohamed Ali,Mohammed Ali
محمد ياسين|Mohamed Yassine,Mohammed Yassine
محمد المهدي|Mohamed El Mehdi,Mohamed Mehdi
"""

FEMALE_MA = """
فاطمة|Fatima,Fatma,Fatimah,Fadma
فاطمة الزهراء|Fatima Zahra,Fatimazahra,Fatima-Zahra,Fatim Zahra,Fatima Ezzahra
خديجة|Khadija,Khadidja,Khadeeja
عائشة|Aicha,Aisha,Aïcha,Aycha
مريم|Meryem,Maryam,Meriem,Mariam
زينب|Zineb,Zaynab,Zainab,Zeineb
حنان|Hanane,Hanan
نادية|Nadia,Nadiya
سعاد|Souad,Suad,Soad
ليلى|Leila,Laila,Layla,Leïla
سناء|Sanaa,Sana,Sanae
هند|Hind
إيمان|Imane,Iman,Imen
نجاة|Najat,Nejat
أمينة|Amina,Aminah
حليمة|Halima,Halimah
رشيدة|Rachida,Rashida
سميرة|Samira
نعيمة|Naima,Naïma
لطيفة|Latifa,Latefa
كريمة|Karima
مليكة|Malika
سلمى|Salma,Selma
هاجر|Hajar,Hajer,Hadjer
سارة|Sara,Sarah
ياسمين|Yasmine,Yasmina,Jasmine
نور|Nour,Noor
أسماء|Asmae,Asmaa,Asma
وفاء|Wafae,Wafaa,Wafa
دنيا|Dounia,Donia,Dunya
كوثر|Kaoutar,Kawtar,Kaouthar,Kawthar
غزلان|Ghizlane,Ghizlan,Rhizlane
سكينة|Soukaina,Soukayna,Sukaina,Sokaina
شيماء|Chaimae,Chaima,Shaimaa,Chaymae
إكرام|Ikram,Ikrame
إلهام|Ilham,Elham
بشرى|Bouchra,Bushra,Bochra
حسناء|Hasnaa,Hasna,Hasnae
خولة|Khaoula,Khawla,Khaula
رجاء|Rajae,Raja,Rajaa
زهرة|Zahra,Zohra,Zahrae
سهام|Siham,Sihame
صفاء|Safae,Safaa,Safa
عزيزة|Aziza
فدوى|Fadwa,Fedoua,Fadoua
لبنى|Loubna,Lubna
مونية|Mounia,Monia
نجوى|Najwa,Najoua
هدى|Houda,Huda,Hoda
وداد|Widad,Wedad,Ouidad
يسرى|Yousra,Yosra,Yusra
جميلة|Jamila,Djamila
ربيعة|Rabia,Rabiaa
زهور|Zhour,Zouhour
فتيحة|Fatiha
حياة|Hayat
منال|Manal
نسرين|Nisrine,Nesrine,Nasrine
أميمة|Oumaima,Oumayma,Umaima
آية|Aya
رانيا|Rania,Ranya
ملاك|Malak
إيناس|Inass,Ines,Inas
هبة|Hiba
رحمة|Rahma
مينة|Mina
ثورية|Touria,Thouria,Touriya
السعدية|Saadia,Essaadia,Saâdia
البتول|Batoul,Elbatoul,Al Batoul
فاطنة|Fatna,Fattouma
حفصة|Hafsa,Hafssa
سلوى|Salwa,Saloua
نوال|Naoual,Nawal
بهيجة|Bahija,Bahiya
جليلة|Jalila,Djalila
خديجة الزهراء|Khadija Zahra,Khadijazahra
زكية|Zakia,Zakiya
عتيقة|Atika,Atiqa
فريدة|Farida
كلثوم|Keltoum,Kaltoum,Kulthum
مجدة|Majda,Madja
ميساء|Maissae,Maysae,Maissa
نهاد|Nouhad,Nihad
هيام|Hiam,Hayam
وئام|Wiam,Ouiam
يمنى|Youmna,Yumna
أسية|Assia,Asiya
بسمة|Basma,Bassma
جنات|Jannat,Jennat
رقية|Rokaya,Ruqaya,Rkia
سمية|Soumia,Soumaya,Sumaya
شروق|Chourouk,Shurouk
صباح|Sabah,Sabbah
عفاف|Afaf
لمياء|Lamiae,Lamia,Lamyaa
"""

FAMILY_MA = """
العلوي|Alaoui,El Alaoui,Elalaoui,Laalaoui
العمراني|El Amrani,Amrani,Alamrani,Elamrani,El-Amrani
الإدريسي|El Idrissi,Idrissi,Elidrissi,Drissi
بناني|Bennani,Benani
التازي|Tazi,Ettazi,El Tazi
الفاسي|El Fassi,Fassi,Elfassi
الزياني|Zeyani,Ezzyani,Zayani,Ziani,Ezziani
بنجلون|Benjelloun,Benjeloun,Ben Jelloun
البقالي|El Bakkali,Bakkali,Elbakkali,Baqqali
الوزاني|Ouazzani,El Ouazzani,Wazzani,Elouazzani
بنعلي|Benali,Ben Ali,Ben-Ali
بنسعيد|Bensaid,Ben Said,Bensaïd
بوزيد|Bouzid,Bouzide
المنصوري|El Mansouri,Mansouri,Elmansouri
الحسني|El Hassani,Hassani,Elhassani
الحسيني|El Houssaini,Houssaini,El Husseini
الشرقاوي|Cherkaoui,Charkaoui,Chergaoui,Echcherkaoui
الكتاني|Kettani,El Kettani,Kattani
السوسي|Soussi,Essoussi,El Soussi
الرحماني|Rahmani,Errahmani,El Rahmani
الصغير|Essghir,Seghir,Sghir
الزهراوي|Zahraoui,Ezzahraoui
الخطابي|El Khattabi,Khattabi,Elkhattabi
الريفي|Rifi,Errifi,El Rifi
الطاهري|Tahiri,Ettahiri,El Tahiri
بوعزة|Bouazza,Bouaza
بوطالب|Boutaleb,Bou Taleb
لحلو|Lahlou,Lehlou
بنكيران|Benkirane,Ben Kirane
بنعبد الله|Benabdallah,Ben Abdallah,Benabdellah
بنموسى|Benmoussa,Ben Moussa
برادة|Berrada,Berada
الشامي|Chami,Echchami,El Chami
الصقلي|Sqalli,Seqqali,Essekalli
العثماني|El Othmani,Othmani,Elotmani
السباعي|Sbai,Essbai,Sebai
الجزولي|Jazouli,El Jazouli,Guezouli
الأنصاري|Ansari,El Ansari,Elansari
الهاشمي|Hachimi,El Hachimi,Hashimi
الفيلالي|Filali,El Filali,Elfilali
الدكالي|Doukkali,Dokkali,Eddoukkali
العبدي|Abdi,El Abdi
الزموري|Zemmouri,Zammouri
الشاوي|Chaoui,Echchaoui,Chawi
الحمداوي|Hamdaoui,El Hamdaoui
أيت علي|Ait Ali,Aït Ali,Ait-Ali
أمزيان|Amziane,Amzian,Amezian
أوحمو|Ouhammou,Ouhamou
أمغار|Amghar,Amrhar
الموساوي|Moussaoui,El Moussaoui,Elmoussaoui
الإسماعيلي|Ismaili,El Ismaili,Smaili
البركاني|Berkani,El Berkani,Elberkani
التطواني|Tetouani,Ettetouani
المراكشي|Marrakchi,El Marrakchi
الوجدي|Oujdi,El Oujdi
الناصري|Naciri,Nasiri,Ennaciri,Ennasiri
الصديقي|Seddiki,Sadiki,Essadiki,Siddiqi
القادري|Kadiri,Qadiri,El Kadiri
الحداد|Haddad,El Haddad
النجار|Najjar,Ennajjar,Nejjar
الخياط|Khayat,El Khayat,Khayyat
العطار|Attar,El Attar
الصباغ|Sebbagh,Essebbagh
حجي|Hajji,Hadji,Haji
المرابط|Mrabet,El Mrabet,Lemrabet
الصالحي|Salhi,Essalhi,Salhy
المودن|Moudden,El Moudden,Elmoudden
الوافي|Ouafi,El Ouafi,Wafi
الزروالي|Zerouali,Zarouali,Zarwali
بلحاج|Belhaj,Belhadj,Bel Haj
بلقاسم|Belkacem,Belkassem,Belqasim
بلعيد|Belaid,Belaïd
العياشي|Ayachi,Ayyachi,El Ayachi
بنيس|Bennis,Benis
الودغيري|Ouadghiri,Oudghiri,El Ouadghiri
السلاوي|Slaoui,Sellaoui
اليعقوبي|Yacoubi,El Yacoubi,Yaakoubi
اليوسفي|Youssfi,El Youssfi,Yousfi
الطالبي|Talbi,Ettalbi,El Talbi
العسري|Asri,El Asri
الرحالي|Rahali,Errahali
الرايس|Rais,Errais
الدحماني|Dahmani,Eddahmani
الغزواني|Ghazouani,El Ghazouani,Rhazouani
الحراق|Harrak,El Harrak
الأزرق|Lazrak,El Azrak,Azraq
الوالي|Ouali,El Ouali
المحمدي|Mohammadi,El Mohammadi,Mohamadi
الأحمدي|Ahmadi,El Ahmadi
التهامي|Touhami,Tohami,Ettouhami
العراقي|Laraki,El Iraki,Elaraki
بوكيلي|Boukili,Boukhili
بنشقرون|Benchekroun,Ben Chekroun
بنسليمان|Bensliman,Benslimane,Ben Slimane
الكرمي|Karmi,El Karmi
الشرايبي|Cheraibi,Chraibi,Echcharaibi
التوزاني|Touzani,Ettouzani
الجراري|Jirari,Jarrari,El Jirari
الفاطمي|Fatmi,El Fatmi,Elfatmi
المريني|Merini,El Merini,Marini
الطويل|Touil,Ettaouil,Taouil
الساهل|Sahel,Essahel
بوحسين|Bouhsine,Bouhssine
بومهدي|Boumehdi,Boumahdi
بنحمو|Benhammou,Ben Hammou
بوعياد|Bouayad,Bouayyad
الرامي|Rami,Errami
الحيان|Hayyane,El Hayane,Hayane
الشاذلي|Chadli,Echadli,Chadhili
الكوهن|Kohen,Elkouhen
الحلوي|Halaoui,Lahlaoui
البوعناني|Bouanani,El Bouanani
الخمليشي|Khamlichi,El Khamlichi
الغماري|Ghomari,El Ghomari,Rhomari
الزرهوني|Zerhouni,Zarhouni
المكناسي|Meknassi,El Meknassi
السرغيني|Serghini,Sarghini,Esserghini
الأمراني|Lamrani,Lemrani,El Amrani
الإبراهيمي|Brahimi,El Brahimi,Ibrahimi
الحلاوي|Hallaoui,Hlaoui
الكبير|Kbir,El Kebir,Lakbir
المسعودي|Messaoudi,El Messaoudi,Massoudi
الفرجي|Ferji,El Farji
الكيحل|Kihal,Lakhal,Elkihal
السعيدي|Saidi,Essaidi,Esaidi
الباز|Baz,El Baz,Elbaz
الحمومي|Hammoumi,El Hammoumi
المغراوي|Maghraoui,El Maghraoui,Mghraoui
الوكيلي|Oukili,Ouakili,El Oukili
بوعلام|Boualam,Bouallam
بوشيخي|Bouchikhi,Boucheikhi
العلمي|Alami,El Alami,Lalami
الريسوني|Raissouni,Rissouni,Erraissouni
الحموشي|Hammouchi,El Hammouchi
الغرباوي|Gharbaoui,Rharbaoui
الزناتي|Zenati,Ezzenati,Znati
"""

# Migrants' names by citizenship: (given male, given female, family); "Latin 1,Latin 2[|arabic]".
MIGRANT_NAMES = {
    "NG": (
        "Chukwuemeka,Chukwuma,Emeka;Oluwaseun,Oluwasegun,Seun;Osagie,Osagye;Efosa,Efossa;"
        "Osaretin,Osaretin;Eghosa,Egosa;Ikechukwu,Ikechukwu,Ike;Godwin,Godwine;Samuel,Samwel;"
        "Ibrahim,Ibraheem|إبراهيم;Musa,Moussa|موسى;Uchenna,Uchena;Tunde,Babatunde;Victor;Emmanuel,Emanuel",
        "Ngozi,Ngozie;Blessing,Blessin;Precious,Presious;Joy;Favour,Favor;Esther,Ester;Peace;"
        "Gift;Happiness,Hapiness;Chioma,Chyoma;Adaeze,Adaze;Ifeoma,Ifeomah;Osas,Osasere;"
        "Uwa,Uwaila;Omosede,Omosede;Aisha,Aishat|عائشة;Mercy;Patience,Pacience",
        "Okafor,Okafo;Okonkwo,Okonkwor;Adeyemi,Adeyemy;Ogunleye,Ogunleyi;Omoregie,Omorogie;"
        "Igbinedion,Igbinidion;Eze,Ezeh;Nwachukwu,Nwachukwu,Nwachuku;Obi,Obih;Edosomwan,Edosonwan;"
        "Osaghae,Osaghe;Bello,Belo|بيلو;Musa,Moussa|موسى;Osagie,Osayi;Idahosa,Idahossa;"
        "Ehigiator,Ehigiato;Aigbe,Aigbeh;Ogbebor,Ogbeibor;Uwaifo,Uwaifoh;Okoro,Okorro;"
        "Adebayo,Adebayor;Oyelaran,Oyelaran;Nnamdi,Namdi;Iyamu,Iyamuh;Ekhator,Ekator",
    ),
    "CI": (
        "Kouadio,Kwadio;Koffi,Kofi;Yao,Yaho;Ibrahim,Brahima|إبراهيم;Seydou,Seidou;Adama;"
        "Souleymane,Souleimane|سليمان;Lassina,Lacina;Kouakou,Kwaku;Moussa,Musa|موسى",
        "Aya,Ahya;Adjoua,Adjua;Amenan,Aménan;Affoué,Affoue;Mariam,Mariame|مريم;Awa,Ahoua;"
        "Fanta;Aminata,Aminatou|أميناتا;Akissi,Akisi;Salimata,Salimatou",
        "Kouassi,Kouasi;Konan,Konnan;Koné,Kone|كوني;Traoré,Traore|تراوري;Ouattara,Ouatara,Wattara;"
        "Bamba,Bambah;Coulibaly,Kulibali,Coulibali|كوليبالي;N'Guessan,Nguessan,N Guessan;"
        "Diabaté,Diabate;Touré,Toure|توري;Kouamé,Kouame;Yao,Yaho;Soro,Sorho;Doumbia,Dumbia;"
        "Fofana,Fofanah;Kra,Krah;Gbagbo,Gbagbeu",
    ),
    "GN": (
        "Mamadou,Mamadu,Mamoudou|مامادو;Alpha,Alfa;Ibrahima,Ibrahim|إبراهيما;"
        "Abdoulaye,Abdoulay,Abdullahi|عبد الله;Thierno,Tierno;Ousmane,Usman,Ousman|عثمان;"
        "Sekou,Sékou;Boubacar,Bubacar|بوبكر;Amadou,Ahmadou|أمادو;Mohamed,Mohammed|محمد",
        "Aminata,Aminatou,Aminatu|أميناتا;Fatoumata,Fatumata,Fatimata|فاطوماتا;Mariama,Mariam;"
        "Kadiatou,Kadiatu,Khadiatou|خديجة;Hawa,Haoua;Mariame,Mariam;Djenabou,Jenabu;"
        "Oumou,Umu;Binta,Bintou;Aissatou,Aïssatou,Aisatu|عيساتو",
        "Diallo,Dialo,Jallow|ديالو;Barry,Bari|باري;Bah,Ba|با;Sow,So|سو;Camara,Kamara|كامارا;"
        "Condé,Conde;Keita,Keïta|كيتا;Sylla,Sila;Soumah,Souma;Touré,Toure|توري;Baldé,Balde;"
        "Cissé,Cisse,Sisse|سيسي;Kaba,Kabba;Doumbouya,Dumbuya;Fofana,Fofanah",
    ),
    "SN": (
        "Ousmane,Usman,Ousman|عثمان;Moussa,Musa,Mousa|موسى;Cheikh,Cheick,Sheikh|الشيخ;"
        "Modou,Moudou;Aliou,Alioune,Aliu;Ibrahima,Ibrahim|إبراهيما;Abdou,Abdu;Pape,Papa;"
        "Mamadou,Mamadu|مامادو;Babacar,Babakar",
        "Fatou,Fatu|فاتو;Astou,Asstou;Ndeye,Ndèye;Khady,Khadi;Awa,Ahwa;Mame,Mam;"
        "Aminata,Aminatou|أميناتا;Coumba,Kumba;Mariama,Mariame;Rokhaya,Rokaya|رقية",
        "Ndiaye,N'Diaye,Njie|نداي;Diop,Dioppe|ديوب;Fall,Fal;Sarr,Sar;Gueye,Gaye;Faye,Fay;"
        "Seck,Sek;Mbaye,M'Baye;Sy,Si;Cissé,Cisse|سيسي;Thiam,Tiam;Ba,Bah|با;Diouf,Dioufe;"
        "Sall,Sal;Niang,Nyang;Kane,Kan;Dieng,Jeng",
    ),
    "CM": (
        "Jean-Pierre,Jean Pierre,Jeanpierre;Brice,Bryce;Yannick,Yanick;Rodrigue,Rodrig;"
        "Hervé,Herve;Blaise,Blaize;Franck,Frank;Serge;Landry,Landri;Junior",
        "Marie-Claire,Marie Claire;Arlette,Arlete;Christelle,Cristelle;Grace,Grâce;"
        "Nadège,Nadege;Carine,Karine;Sandrine,Sandrin;Pélagie,Pelagie;Estelle,Estel;Mireille,Mireile",
        "Ngono,Ngonno;Mbarga,Mbarga;Atangana,Atangana;Fotso,Fotsso;Tchoumi,Tchumi;Kamga,Kamgah;"
        "Nana,Nanah;Mballa,Mbala;Essomba,Esomba;Tchatchoua,Tchatchwa;Nkoulou,Nkulu;Owona,Owonna;"
        "Eto'o,Etoo;Biya,Bia;Ngassa,Ngasa",
    ),
    "PH": (
        "Jose,José;Juan Carlos,Juancarlos;Mark Anthony,Mark Antony;Rodel,Rodell;Jomar,Jhomar;"
        "Ramon,Ramón;Rey,Ray;Jericho,Jerico",
        "Maria Cristina,Ma. Cristina,Ma Cristina,Mariacristina;Maria Luisa,Ma. Luisa,Ma Luisa;"
        "Jocelyn,Joselyn,Jocelyne;Rowena,Roena;Marites,Maritess;Lorna,Lorena;"
        "Analyn,Annalyn,Ana Lyn;"
        "Rosemarie,Rose Marie,Rosemary;Jennifer,Jenifer;Mary Grace,Marygrace;Lovely,Lovely;"
        "Maricel,Marisel;Cherry Ann,Cherryann;Divina,Devina",
        "Santos,Santo;Reyes,Reyez;Dela Cruz,De la Cruz,Delacruz,Cruz;Bautista,Baustista;"
        "Garcia,García;Mendoza,Mendosa;Villanueva,Villa Nueva;Ramos,Ramoz;Aquino,Akino;"
        "Castillo,Castilo;Flores,Florez;Gonzales,Gonzalez;Dizon,Dison;Manalo,Manalu;"
        "Pascual,Pasqual;Navarro,Navaro;Torres,Torrez;Salazar,Salasar",
    ),
}

# Share of migrants among the persons, and of each citizenship among them.
MIGRANT_SHARE = 0.4
MIGRANT_MIX = {"NG": 0.25, "CI": 0.22, "GN": 0.2, "SN": 0.1, "CM": 0.13, "PH": 0.1}
NEIGHBOURS = {"NG": "GH", "CI": "GN", "GN": "ML", "SN": "GM", "CM": "GA", "PH": "ID", "MA": "DZ"}


@dataclasses.dataclass(frozen=True)
class Name:
    ar: str  # "" when no Arabic form is used
    lat: tuple  # Latin spellings, the most common first
    key: str  # identity of the name (namesakes share it)


def _parse_ma(text, prefix):
    out = []
    for line in text.strip().splitlines():
        ar, lat = line.split("|")
        out.append(Name(ar, tuple(lat.split(",")), f"{prefix}:{lat.split(',')[0]}"))
    return out


def _parse_migrant(text, prefix):
    out = []
    for item in text.split(";"):
        item = item.strip()
        if not item:
            continue
        lat, _sep, ar = item.partition("|")
        spellings = tuple(dict.fromkeys(s.strip() for s in lat.split(",")))
        out.append(Name(ar, spellings, f"{prefix}:{spellings[0]}"))
    return out


# Root consonants for the synthetic tail of Moroccan family names: (Arabic, Latin spellings).
ROOT_CONSONANTS = [
    ("ب", ("b",)),
    ("ت", ("t",)),
    ("ج", ("j", "dj")),
    ("ح", ("h",)),
    ("خ", ("kh",)),
    ("د", ("d",)),
    ("ر", ("r",)),
    ("ز", ("z",)),
    ("س", ("s", "ss")),
    ("ش", ("ch", "sh")),
    ("ط", ("t",)),
    ("غ", ("gh", "rh")),
    ("ف", ("f",)),
    ("ق", ("k", "q", "kk")),
    ("ك", ("k",)),
    ("ل", ("l",)),
    ("م", ("m",)),
    ("ن", ("n",)),
]
# (Arabic pattern, Latin patterns with the article variants); 1 2 3 are the root consonants,
# D a doubled consonant in Latin (the shadda is not written in Arabic).
ROOT_PATTERNS = [
    ("ال1ا23ي", ("El 1a23i", "1a23i", "El1a23i")),  # El Fassi-like nisba
    ("ال12ا3ي", ("El 1a2D3i", "1a2D3i", "El1a2D3i")),  # El Haddadi
    ("123اوي", ("1a23aoui", "1e23aoui", "1a23awi")),  # Hamdaoui
    ("بن123ون", ("Ben1a23oun", "Ben 1a23oun", "Ben1e23oun")),  # Benjelloun
    ("بو12ي3", ("Bou12i3", "Bou 12i3", "Bou1e2i3")),  # Bouzekri
    ("ال1ا2ي3ي", ("El 1a2i3i", "1a2i3i", "El1a2i3i")),  # El Malikiri
    ("أ12ا3", ("A12a3", "A1e2a3")),  # Amzian
]


def _synthetic_family(rng, n):
    """n distinct synthetic Moroccan family names from root patterns."""
    out, seen = [], set()
    while len(out) < n:
        roots = [ROOT_CONSONANTS[rng.randrange(len(ROOT_CONSONANTS))] for _ in range(3)]
        if roots[0] == roots[1] or roots[1] == roots[2]:
            continue
        ar_pat, lat_pats = ROOT_PATTERNS[rng.randrange(len(ROOT_PATTERNS))]
        ar = ar_pat
        for i, (a, _l) in enumerate(roots, 1):
            ar = ar.replace(str(i), a)
        if ar in seen:
            continue
        seen.add(ar)
        spellings = []
        for pat in lat_pats:
            lat = pat
            for i, (_a, ls) in enumerate(roots, 1):
                choice = ls[0] if pat is lat_pats[0] else ls[rng.randrange(len(ls))]
                lat = lat.replace(f"{i}D", choice + choice).replace(str(i), choice)
            lat = lat[0].upper() + lat[1:]
            lat = " ".join(w[:1].upper() + w[1:] for w in lat.split(" "))
            if lat not in spellings:
                spellings.append(lat)
        out.append(Name(ar, tuple(spellings), f"fs:{ar}"))
    return out


def _zipf(n, s=1.0, head=None):
    weights = [1 / (r + 1) ** s for r in range(n)]
    if head:
        for i, w in enumerate(head):
            weights[i] = w
    return weights


def _cumulative(weights):
    total, out = 0.0, []
    for w in weights:
        total += w
        out.append(total)
    return out


class _Table:
    """Names with cumulative weights, for rng.choices."""

    def __init__(self, names, weights):
        self.names = names
        self.cum = _cumulative(weights)

    def pick(self, rng):
        return rng.choices(self.names, cum_weights=self.cum)[0]


def _migrant_family(code, fallback):
    """The v2 family names of one citizenship, as a table (linkage_migrant_names.py)."""
    names, weights = [], []
    for lat, ar, w in linkage_migrant_names.family_names(code):
        names.append(Name(ar, lat, f"n{code}:{lat[0]}"))
        weights.append(w)
    return _Table(names, weights) if names else fallback


def _tables(seed, names=None):
    names = names or NAMES
    rng = random.Random(f"names-{seed}")
    male = _parse_ma(MALE_MA, "gm")
    female = _parse_ma(FEMALE_MA, "gf")
    family = _parse_ma(FAMILY_MA, "fm")
    tail = _synthetic_family(rng, 3000)
    # Given names: Zipf, Mohamed and Fatima Zahra far ahead (as in the civil register).
    t = {
        "male": _Table(male, _zipf(len(male), 0.9, head=[8.0, 1.5, 1.2])),
        "female": _Table(female, _zipf(len(female), 0.8, head=[2.5, 2.5, 1.6])),
        # Family names: the attested ones take ~45% of the population (Alaoui ~2%),
        # the synthetic tail the rest.
        "family": _Table(
            family + tail,
            [w * 0.45 / sum(_zipf(len(family), 0.6)) for w in _zipf(len(family), 0.6)]
            + [w * 0.55 / sum(_zipf(len(tail), 0.5)) for w in _zipf(len(tail), 0.5)],
        ),
    }
    for code, (m, f, fam) in MIGRANT_NAMES.items():
        m, f, fam = (
            _parse_migrant(m, f"m{code}"),
            _parse_migrant(f, f"f{code}"),
            _parse_migrant(fam, f"n{code}"),
        )
        family_v1 = _Table(fam, _zipf(len(fam), 0.7))
        t[code] = (
            _Table(m, _zipf(len(m), 0.7)),
            _Table(f, _zipf(len(f), 0.7)),
            family_v1 if names == "v1" else _migrant_family(code, family_v1),
        )
    t["male_list"] = male
    return t


# --- persons -------------------------------------------------------------------------------------


@dataclasses.dataclass
class Person:
    pid: int
    citizenship: str
    sex: str
    given: Name
    family: Name
    birth: datetime.date
    household: int
    phones: list
    document: str


def _birth(rng):
    age = min(60, max(6, int(rng.gauss(25, 8))))
    year = TODAY.year - age
    return datetime.date(year, rng.randint(1, 12), rng.randint(1, 28))


def _phone(rng, citizenship):
    if citizenship != "MA" and rng.random() < 0.25:
        prefix = {"NG": "234", "CI": "225", "GN": "224", "SN": "221", "CM": "237", "PH": "63"}
        return f"+{prefix.get(citizenship, '1')}{rng.randint(700000000, 999999999)}"
    return f"0{rng.choice('67')}{rng.randint(10000000, 99999999)}"


def _document(rng, citizenship):
    if citizenship == "MA":
        letters = rng.choice(["A", "AB", "BE", "BK", "C", "CD", "D", "EE", "G", "J", "K", "X", "Z"])
        return f"{letters}{rng.randint(1000, 999999)}"
    return f"{rng.choice('ABCEHP')}{rng.randint(1000000, 99999999)}"


def _persons(n, rng, tables):
    """n persons, with about one in eight in a household of 2–3 siblings."""
    pid = 0
    household = 0
    while pid < n:
        household += 1
        migrant = rng.random() < MIGRANT_SHARE
        citizenship = (
            rng.choices(list(MIGRANT_MIX), weights=list(MIGRANT_MIX.values()))[0]
            if migrant
            else "MA"
        )
        r = rng.random()
        size = 1 if r < 0.92 else (2 if r < 0.98 else 3)
        size = min(size, n - pid)
        if citizenship == "MA":
            family = tables["family"].pick(rng)
        else:
            family = tables[citizenship][2].pick(rng)
        home_phone = _phone(rng, citizenship) if size > 1 and rng.random() < 0.6 else None
        eldest = _birth(rng)
        given_used = set()
        for k in range(size):
            sex = "F" if rng.random() < 0.58 else "M"
            for _try in range(20):
                if citizenship == "MA":
                    given = tables["female" if sex == "F" else "male"].pick(rng)
                else:
                    given = tables[citizenship][1 if sex == "F" else 0].pick(rng)
                if given.key not in given_used:
                    break
            given_used.add(given.key)
            if k == 0:
                birth = eldest
            else:
                gap = rng.randint(1, 6)
                birth = datetime.date(
                    min(TODAY.year - 4, eldest.year + gap * k),
                    rng.randint(1, 12),
                    rng.randint(1, 28),
                )
            phones = []
            if home_phone and rng.random() < 0.7:
                phones.append(home_phone)
            if rng.random() < (0.55 if citizenship == "MA" else 0.45):
                phones.append(_phone(rng, citizenship))
                if rng.random() < 0.2:
                    phones.append(_phone(rng, citizenship))  # a second number, or a new one
            adult = TODAY.year - birth.year >= 18
            has_doc = (adult and rng.random() < 0.85) if citizenship == "MA" else rng.random() < 0.3
            yield Person(
                pid,
                citizenship,
                sex,
                given,
                family,
                birth,
                household,
                phones,
                _document(rng, citizenship) if has_doc else "",
            )
            pid += 1


# --- records -------------------------------------------------------------------------------------

LATIN_TYPO_LETTERS = "aeioulnrsmtkdh"
ARABIC_TYPO_LETTERS = "ابتدرسعلمنهوي"


def _typo(rng, word, letters):
    if len(word) < 4:
        return word
    i = rng.randrange(1, len(word) - 1)
    kind = rng.random()
    if kind < 0.35:  # deletion
        return word[:i] + word[i + 1 :]
    if kind < 0.65:  # substitution
        return word[:i] + rng.choice(letters) + word[i + 1 :]
    if kind < 0.85:  # transposition
        return word[: i - 1] + word[i] + word[i - 1] + word[i + 1 :]
    return word[:i] + word[i] + word[i:]  # doubled letter


def _spelling(rng, name):
    """One Latin spelling, the common ones more often."""
    n = len(name.lat)
    if n == 1:
        return name.lat[0]
    r = rng.random()
    if r < 0.5:
        return name.lat[0]
    return name.lat[1 + rng.randrange(n - 1)] if r < 0.85 else name.lat[rng.randrange(n)]


def _phone_form(rng, number):
    if number.startswith("0") and len(number) == 10:
        r = rng.random()
        if r < 0.5:
            return number
        if r < 0.75:
            return f"+212 {number[1:4]}-{number[4:]}"
        if r < 0.9:
            return f"00212{number[1:]}"
        return " ".join(number[i : i + 2] for i in range(0, 10, 2))
    return number if rng.random() < 0.7 else number.replace("+", "00")


def digest(kind, key):
    """The benchmark's stand-in for ``crypto.blind_digest``: sha256 hex[:32] of the clear key."""
    return hashlib.sha256(f"{kind}:{key}".encode()).hexdigest()[:32]


def _render(rng, person, tables, today=TODAY):
    """One record of a person, as one agency writes it; (Record, meta flags)."""
    flags = 0
    migrant = person.citizenship != "MA"
    if migrant:
        flags |= MIGRANT
    has_ar = bool(person.given.ar and person.family.ar)
    r = rng.random()
    if not migrant:
        script = AR_ONLY if r < 0.25 else (LAT_ONLY if r < 0.6 else BOTH)
    elif has_ar:
        script = AR_ONLY if r < 0.05 else (BOTH if r < 0.15 else LAT_ONLY)
    else:
        script = LAT_ONLY
    flags |= script
    if " " in person.given.ar or " " in person.given.lat[0] or "-" in person.given.lat[0]:
        flags |= COMPOUND

    given_ar, family_ar = person.given.ar, person.family.ar
    given_lat, family_lat = _spelling(rng, person.given), _spelling(rng, person.family)
    if family_ar.startswith("ال") and rng.random() < 0.12:
        family_ar = family_ar[2:]
        flags |= ARTICLE_DROPPED
    # the father's name inserted: Mohamed ben Ahmed El Amrani
    if not migrant and rng.random() < 0.04:
        father = tables["male_list"][rng.randrange(40)]
        given_ar = f"{given_ar} بن {father.ar}"
        given_lat = f"{given_lat} {rng.choice(['Ben', 'ben', 'Bin'])} {_spelling(rng, father)}"
        flags |= FATHER
    if rng.random() < (0.03 if script != AR_ONLY else 0.0):
        words = (given_lat + " " + family_lat).split(" ")
        j = rng.randrange(len(words))
        words[j] = _typo(rng, words[j], LATIN_TYPO_LETTERS)
        ng = len(given_lat.split(" "))
        given_lat, family_lat = " ".join(words[:ng]), " ".join(words[ng:])
        flags |= TYPO
    if script != LAT_ONLY and rng.random() < 0.015:
        family_ar = _typo(rng, family_ar, ARABIC_TYPO_LETTERS)
        flags |= TYPO
    if rng.random() < (0.10 if migrant else 0.06):
        family_ar = family_lat = ""
        flags |= FAMILY_MISSING
    elif rng.random() < 0.04:
        given_ar, family_ar = family_ar, given_ar
        given_lat, family_lat = family_lat, given_lat
        flags |= SWAPPED
    if script == AR_ONLY:
        given_lat = family_lat = ""
    elif script == LAT_ONLY:
        given_ar = family_ar = ""

    # the date this agency met the person: estimated ages are relative to it
    seen = today - datetime.timedelta(days=rng.randrange(0, 6 * 365))
    birth_date, precision, estimated_age = None, "unknown", None
    r = rng.random()
    b = person.birth
    if r < 0.40:
        birth_date, precision = b, "exact"
        if rng.random() < 0.07:
            flags |= BIRTH_WRONG
            if b.day <= 12 and rng.random() < 0.5:
                birth_date = datetime.date(b.year, b.day, b.month)
            else:
                birth_date = datetime.date(b.year + rng.choice((-1, 1)), b.month, b.day)
    elif r < 0.52:
        birth_date, precision = datetime.date(b.year, 6, 30), "year"
        flags |= BIRTH_YEAR_ONLY
    elif r < 0.60:
        birth_date, precision = datetime.date(b.year, 1, 1), "exact"
        flags |= BIRTH_YEAR_ONLY
    elif r < 0.82:
        age = seen.year - b.year - ((seen.month, seen.day) < (b.month, b.day))
        err = rng.choices((0, -1, 1, -2, 2), weights=(50, 15, 15, 10, 10))[0]
        estimated_age = max(1, age + err)
        flags |= BIRTH_ESTIMATED
    else:
        flags |= BIRTH_MISSING

    sex = person.sex
    r = rng.random()
    if r < 0.02:
        sex = ""
        flags |= SEX_MISSING
    elif r < 0.023:
        sex = "M" if sex == "F" else "F"
        flags |= SEX_WRONG

    citizenships = [person.citizenship]
    r = rng.random()
    if r < 0.15:
        citizenships = []
        flags |= CIT_MISSING
    elif migrant and r < 0.19:
        citizenships = [NEIGHBOURS[person.citizenship]]
        flags |= CIT_WRONG
    elif not migrant and r < 0.16:
        citizenships.append(rng.choice(["FR", "ES", "BE", "NL", "IT"]))

    phones = []
    if person.phones and rng.random() < 0.35:
        phones = [_phone_form(rng, rng.choice(person.phones))]
    documents = []
    if person.document and rng.random() < 0.18:
        doc = person.document
        if rng.random() < 0.3:
            doc = doc[:2].lower() + " " + doc[2:]
        if rng.random() < 0.02:
            doc = doc[:-1] + str((int(doc[-1]) + 1) % 10)
        documents = [doc]

    record = make_record(
        given_ar=given_ar,
        family_ar=family_ar,
        given_lat=given_lat,
        family_lat=family_lat,
        sex=sex,
        birth_date=birth_date,
        precision=precision,
        estimated_age=estimated_age,
        estimated_on=seen,
        citizenships=citizenships,
        phone_digests=[digest("phone", k) for p in phones if (k := phone_key(p))],
        document_digests=[digest("document", k) for d in documents if (k := document_key(d))],
        today=today,
    )
    return record, flags


RECORDS_PER_PERSON = (0.5, 0.28, 0.14, 0.08)  # share of persons with 1, 2, 3, 4 records


@dataclasses.dataclass
class Dataset:
    records: list  # [(record_id, Record)]
    truth: dict  # record_id → person id
    meta: dict  # record_id → flags
    persons: list  # [(person id, household, given key, family key, citizenship)]


def iter_records(n_persons, *, seed=20251, records_per_person=RECORDS_PER_PERSON, names=None):
    """Yield (record_id, Record, person id, flags, person) for n_persons persons; record ids
    are 1.. in the order generated (a person's records are next to each other: shuffle if the
    order matters). ``names``: "v1" or "v2" (default ``NAMES``): the same process either way
    but for migrants' family names (the draws then part ways: two samples, not one twice)."""
    rng = random.Random(seed)
    tables = _tables(seed, names)
    if isinstance(records_per_person, int):
        weights = [0.0] * (records_per_person - 1) + [1.0]
    else:
        weights = list(records_per_person)
    counts = list(range(1, len(weights) + 1))
    cum = _cumulative(weights)
    rid = 0
    for person in _persons(n_persons, rng, tables):
        for _k in range(rng.choices(counts, cum_weights=cum)[0]):
            rid += 1
            record, flags = _render(rng, person, tables)
            yield rid, record, person.pid, flags, person


def generate_full(n_persons, *, seed=20251, records_per_person=RECORDS_PER_PERSON, names=None):
    records, truth, meta, persons = [], {}, {}, []
    last = None
    for rid, record, pid, flags, person in iter_records(
        n_persons, seed=seed, records_per_person=records_per_person, names=names
    ):
        records.append((rid, record))
        truth[rid] = pid
        meta[rid] = flags
        if pid != last:
            persons.append(
                (pid, person.household, person.given.key, person.family.key, person.citizenship)
            )
            last = pid
    return Dataset(records, truth, meta, persons)


def generate(n_persons, *, seed=20251, records_per_person=RECORDS_PER_PERSON, names=None):
    """([(record_id, Record)], {record_id: true person id}), deterministic for the seed."""
    data = generate_full(n_persons, seed=seed, records_per_person=records_per_person, names=names)
    return data.records, data.truth


def describe(record: Record) -> str:
    """A record in one line, for the benchmark's examples."""
    parts = []
    if record.ar:
        parts.append(" ".join(record.ar))
    if record.lat:
        parts.append(" ".join(record.lat))
    birth = record.birth_date or (
        f"{record.birth_year}~{record.birth_precision}" if record.birth_year else "?"
    )
    extra = "".join(f" {k}" for k, v in (("ph", record.phones), ("doc", record.documents)) if v)
    return (
        f"{' / '.join(parts) or '-'}{' (no family)' if record.family_missing else ''} "
        f"{record.sex or '?'} {birth} {','.join(sorted(record.citizenships)) or '?'}{extra}"
    )


def namesakes(n_persons, *, seed=20251, names=None):
    """The generator's name concentration by citizenship: {code: figures}, over its persons
    (not records): the share of pairs of distinct persons with the same given and family name,
    the share of persons who have such a namesake, and the commonest family and given names'
    shares, to set beside published name frequencies."""
    from collections import Counter, defaultdict

    by = defaultdict(list)
    for _pid, _household, given, family, code in generate_full(
        n_persons, seed=seed, names=names
    ).persons:
        by[code].append((given, family))
    out = {}
    for code, people in sorted(by.items()):
        full, fam, giv = (
            Counter(people),
            Counter(f for _g, f in people),
            Counter(g for g, _f in people),
        )
        m = len(people)
        top_f, top_g = fam.most_common(1)[0], giv.most_common(1)[0]
        out[code] = {
            "persons": m,
            "same_full_name_pairs": sum(k * (k - 1) / 2 for k in full.values()) / (m * (m - 1) / 2),
            "with_namesake": sum(k for k in full.values() if k > 1) / m,
            "family_names": len(fam),
            "top_family": (top_f[0].split(":", 1)[1], top_f[1] / m),
            "top_given": (top_g[0].split(":", 1)[1], top_g[1] / m),
        }
    return out


def print_namesakes(n_persons, seed=20251):
    print(f"name concentration among {n_persons:,} persons (seed {seed}), v1 → v2")
    old, new = (
        namesakes(n_persons, seed=seed, names="v1"),
        namesakes(n_persons, seed=seed, names="v2"),
    )
    for code in new:
        a, b = old[code], new[code]
        print(
            f"  {code} {b['persons']:>7,} persons: same full name "
            f"{a['same_full_name_pairs']:.5f} → {b['same_full_name_pairs']:.5f}; "
            f"with a namesake {a['with_namesake']:.1%} → "
            f"{b['with_namesake']:.1%}; family names {a['family_names']} → {b['family_names']}; "
            f"commonest family name {a['top_family'][0]} {a['top_family'][1]:.1%} → "
            f"{b['top_family'][0]} {b['top_family'][1]:.1%}; commonest given name "
            f"{b['top_given'][0]} {b['top_given'][1]:.1%}"
        )


if __name__ == "__main__":
    import time

    if "--namesakes" in sys.argv:
        args = [a for a in sys.argv[1:] if a != "--namesakes"]
        print_namesakes(int(args[0]) if args else 10_000)
        sys.exit(0)
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    t = time.perf_counter()
    data = generate_full(n, seed=int(sys.argv[2]) if len(sys.argv) > 2 else 20251)
    took = time.perf_counter() - t
    if n <= 200:
        for rid, rec in data.records:
            flags = [v for k, v in FLAG_NAMES.items() if data.meta[rid] & k]
            print(data.truth[rid], describe(rec), "|", ", ".join(flags))
    print(f"{n} persons, {len(data.records)} records in {took:.1f} s", file=sys.stderr)
