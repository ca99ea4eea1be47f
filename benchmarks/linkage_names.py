"""The name tables of the linkage generator (``linkage_data.py``): Moroccan given and family
names with their Arabic form and Latin spellings, a synthetic tail of Moroccan family names from
Arabic root patterns, migrants' names by citizenship (v1 tables here, v2 family names in
``linkage_migrant_names.py``), and the weighted tables a seeded run draws from (``tables``).
Plain Python, no Django settings needed."""

import dataclasses
import random

import linkage_migrant_names

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


def cumulative(weights):
    total, out = 0.0, []
    for w in weights:
        total += w
        out.append(total)
    return out


class _Table:
    """Names with cumulative weights, for rng.choices."""

    def __init__(self, names, weights):
        self.names = names
        self.cum = cumulative(weights)

    def pick(self, rng):
        return rng.choices(self.names, cum_weights=self.cum)[0]


def _migrant_family(code, fallback):
    """The v2 family names of one citizenship, as a table (linkage_migrant_names.py)."""
    names, weights = [], []
    for lat, ar, w in linkage_migrant_names.family_names(code):
        names.append(Name(ar, lat, f"n{code}:{lat[0]}"))
        weights.append(w)
    return _Table(names, weights) if names else fallback


def tables(seed, names):
    """The name tables of a seeded run; ``names``: "v1" or "v2" (the migrants' family names)."""
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
