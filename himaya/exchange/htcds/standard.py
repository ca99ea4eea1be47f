"""IOM's Human Trafficking Case Data Standard, v2.0, as its files give it
(shared/standards/htcds/): the field standard (``HTCDS Field Standards 2.0.ods``) and the two
Excel templates NGOs fill (``HTCDS Excel Spreadsheet v2.0.xlsx``, one sheet "Sheet1", and
``HTCDS Excel Spreadsheet single select with validation v2.0.xlsx``, sheet "Case Sheet" with
dropdowns fed by its "validation" sheet).

The templates' layout is kept exactly, quirks included, because NGOs fill it and because an
export must open in the same tools: two header rows (row 1 the field names, row 2 the labels),
an unnamed first column numbering the cases 1, 2, 3…, an unnamed column between
``cas_ReferredPrimaryCaseWorker`` and ``cas_OutgoingReferralDate`` (its label says "Reason for
Outgoing Referral"), the misspelt ``vic_TraffickinStatusDecisionMakingOrg``, and mailing fields
whose row-1 names and row-2 labels are in different orders. Data start on row 3.
"""

TEMPLATE_SHEET = "Case Sheet"  # the validation template's; the other one names it "Sheet1"
TEMPLATE_SHEETS = ("Case Sheet", "Sheet1")
FIRST_DATA_ROW = 3

# Row 1 of the templates, column A first ("" where the template leaves the cell empty).
FIELD_ROW = (
    "",
    "cas_CaseOwner",
    "prs_Salutation",
    "prs_FirstName",
    "prs_SecondName",
    "con_Consent",
    "prs_Birthdate",
    "prs_Gender",
    "prs_Citizenship",
    "prs_Title",
    "prs_Email",
    "prs_HomePhone",
    "prs_MobilePhone",
    "prs_MailingCity",
    "prs_MailingCountry",
    "prs_MailingState",
    "prs_MailingStreet",
    "prs_MailingPostalCode",
    "vic_TraffickingStatus",
    "vic_TraffickinStatusDecisionMakingOrg",
    "vic_MethodOfRecruitment",
    "vic_LocationOfRecruitment",
    "vic_MethodsOfControl",
    "vic_TypeOfExploitation",
    "vic_ForcedLabourIndustry",
    "vic_TypeOfSexExploitation",
    "vic_LocationOfExploitation",
    "cas_Status",
    "cas_ReferringOrganisation",
    "cas_IncomingReferralDate",
    "cas_ReferringPrimaryCaseWorker",
    "cas_ReasonForIncomingReferral",
    "cas_IncomingReferralDetails",
    "cas_ReferredOrganisation",
    "cas_ReferredPrimaryCaseWorker",
    "",
    "cas_OutgoingReferralDate",
    "cas_OutgoingReferralDetails",
    "cas_ReasonForCaseClosure",
)

# Row 2: the labels, as the templates spell them.
LABEL_ROW = (
    "",
    "Case Owner",
    "Salutation",
    "First Name",
    "Second Name",
    "Consent",
    "Birthdate",
    "Gender",
    "Citizenship",
    "Title",
    "Email",
    "Home Phone",
    "Mobile Phone",
    "Mailing Street",
    "Mailing City",
    "Mailing State/Province",
    "Mailing Zip/Postal Code",
    "Mailing Country",
    "Trafficking Status",
    "Trafficking Status Decision Making Organization",
    "Method of Recruitment",
    "Location of Recruitment",
    "Methods of Control",
    "Type of Exploitation",
    "Forced Labour Industry",
    "Type of Sex Exploitation",
    "Location of Exploitation",
    "Status",
    "Referring Organisation",
    "Incoming Referral Date",
    "Referring Primary Case Worker",
    "Reason for Incoming Referral",
    "Incoming Referral Details",
    "Referred Organisation",
    "Referred Primary Case Worker",
    "Reason for Outgoing Referral",
    "Outgoing Referral Date",
    "Outgoing Referral Details",
    "Reason for Case Closure",
)

# The field each template column holds: row 1's name, corrected (the misspelt decision-maker),
# and named where the template leaves row 1 empty.
CASE_ID = "cas_CaseNumber"  # column A: the template numbers its rows 1, 2, 3…
TEMPLATE_FIELDS = tuple(
    {
        "": None,
        "vic_TraffickinStatusDecisionMakingOrg": "vic_TraffickingStatusDecisionMakingOrg",
    }.get(name, name)
    for name in FIELD_ROW
)
TEMPLATE_FIELDS = (
    CASE_ID,
    *TEMPLATE_FIELDS[1:35],
    "cas_ReasonForOutgoingReferral",
    *TEMPLATE_FIELDS[36:],
)

# Labels of fields in the standard (Field Label column), for headers written as labels.
LABELS = {
    "prs_Salutation": "Salutation",
    "prs_FirstName": "First Name",
    "prs_MiddleName": "Middle Name",
    "prs_SecondName": "Second Name",
    "prs_Birthdate": "Birthdate",
    "prs_Gender": "Gender",
    "prs_Citizenship": "Citizenship",
    "prs_Title": "Title",
    "prs_Email": "Email",
    "prs_HomePhone": "Home Phone",
    "prs_MobilePhone": "Mobile Phone",
    "prs_MailingCity": "Mailing City",
    "prs_MailingCountry": "Mailing Country",
    "prs_MailingState": "Mailing State/Province",
    "prs_MailingStreet": "Mailing Street",
    "prs_MailingPostalCode": "Mailing Zip/Postal Code",
    "con_Consent": "Consent",
    "vic_TraffickingStatus": "Trafficking Status",
    "vic_TraffickingStatusDecisionMakingOrg": "Trafficking Status Decision Making Organization",
    "vic_RelationshipToTrafficker": "Relationship to Trafficker",
    "vic_AgeWhenTrafficked": "Age when Trafficked",
    "vic_MethodOfRecruitment": "Method of Recruitment",
    "vic_LocationOfRecruitment": "Location of Recruitment",
    "vic_MethodsOfControl": "Methods of Control",
    "vic_TypeOfExploitation": "Type of Exploitation",
    "vic_ForcedLabourIndustry": "Forced Labour Industry",
    "vic_TypeOfSexExploitation": "Type of Sex Exploitation",
    "vic_LocationOfExploitation": "Location of Exploitation",
    "vic_Vulnerabilities": "Vulnerabilities",
    "cas_CaseOwner": "Case Owner",
    "cas_Status": "Status",
    "cas_ReasonForCaseClosure": "Reason for Case Closure",
    "cas_ReferringOrganisation": "Referring Organisation",
    "cas_IncomingReferralDate": "Incoming Referral Date",
    "cas_ReferringPrimaryCaseWorker": "Referring Primary Case Worker",
    "cas_ReasonForIncomingReferral": "Reason for Incoming Referral",
    "cas_IncomingReferralDetails": "Incoming Referral Details",
    "cas_ReferredOrganisation": "Referred Organisation",
    "cas_ReferredPrimaryCaseWorker": "Referred Primary Case Worker",
    "cas_ReasonForOutgoingReferral": "Reason for Outgoing Referral",
    "cas_OutgoingReferralDate": "Outgoing Referral Date",
    "cas_OutgoingReferralDetails": "Outgoing Referral Details",
    CASE_ID: "Case Number",
}

# Picklists of the standard: (value name, value label), from the .ods's "Value Names" and
# "Value Labels" columns (the templates' dropdowns give the labels).
PICKLISTS = {
    "prs_Gender": [
        ("Feminine", "Feminine"),
        ("Masculine", "Masculine"),
        ("TransgenderFeminine", "Transgender Feminine"),
        ("TransgenderMasculine", "Transgender Masculine"),
        ("NonConforming", "Non-Conforming"),
        ("NonSpecifiedUnknown", "Not Specified/Unknown"),
    ],
    "vic_TraffickingStatus": [
        ("PossibleVictimOfTrafficking", "Possible victim of trafficking"),
        ("ActualVictimOfTrafficking", "Actual victim of trafficking"),
        ("NotAVictimOfTrafficking", "Not a victim of trafficking"),
    ],
    "vic_TraffickingStatusDecisionMakingOrg": [
        ("Police", "Police"),
        ("NGO", "NGO"),
        ("CourtOrProsecution", "Court or prosecution"),
        ("NonPoliceGovernmentalOrganization", "Non-police governmental organization"),
        ("Other", "Other"),
    ],
    "vic_MethodOfRecruitment": [
        ("AtAPlaceOfBusiness", "At a place of business"),
        ("AtAnEducationalInstitution", "At an educational institution"),
        ("AtWork", "At work"),
        ("ThroughOnlineSocialNetworks", "Through online social networks"),
        ("ThroughAnOnlineAdvertisement", "Through an online advertisement"),
        ("ThroughATelevisionAdvert", "Through a television advert"),
        ("ThroughANewspaperAdvert", "Through a newspaper advert"),
        ("ThroughFamilyOrFamilyEvents", "Through family or family events"),
        ("ThroughFriendsOrSocialEvents", "Through friends or social events"),
        ("Other", "Other"),
    ],
    "vic_MethodsOfControl": [
        ("PhysicalThreats", "Physical threats"),
        ("ThreatsLawEnforcement", "Threats of law enforcement"),
        ("ThreatensChildrenFamily", "Threatens children/family"),
        ("DebtBondage", "Debt bondage"),
        ("FalsePromises", "False promises"),
        ("PhysicalAbuse", "Physical abuse"),
        ("SexualAbuse", "Sexual abuse"),
        ("TakesEarnings", "Takes earnings"),
        ("RestrictsFinancialAccess", "Restricts financial access"),
        ("RestrictsMedicalCare", "Restricts medical care"),
        ("WithholdsNecessities", "Withholds necessities"),
        ("PsychologicalAbuse", "Psychological abuse"),
        ("PsychoactiveSubstance", "Psychoactive substance"),
        ("ExcessiveWorkingHours", "Excessive working hours"),
        ("WithholdsDocuments", "Withholds documents"),
        ("Other", "Other"),
    ],
    "vic_TypeOfExploitation": [
        ("ForcedLabour", "Forced labour"),
        ("SexualExploitation", "Sexual exploitation"),
        ("ChildLabour", "Child labour"),
        ("ForcedMarriage", "Forced marriage"),
        ("Servitude", "Servitude"),
        ("ForcedMilitaryByNonStateActors", "Forced military (by non-state actors)"),
        ("OrganRemoval", "Organ removal"),
        ("ForcedBegging", "Forced begging"),
        ("ForcedAdoption", "Forced adoption"),
        ("Surrogacy", "Surrogacy"),
        ("Other", "Other"),
    ],
    "vic_ForcedLabourIndustry": [
        ("A_AgricultureForestryAndFishing", "Agriculture, forestry and fishing"),
        ("B_MiningAndQuarrying", "Mining and quarrying"),
        ("C_Manufacturing", "Manufacturing"),
        (
            "D_ElectricityGasSteamAndAirConditioningSupply",
            "Electricity, gas, steam and air conditioning supply",
        ),
        (
            "E_WaterSupplySewerageWasteManagement",
            "Water supply; sewerage, waste management and remediation",
        ),
        ("F_Construction", "Construction"),
        (
            "G_WholesaleAndRetailTradeRepairOfMotorVehicles",
            "Wholesale and retail trade; repair of motor vehicles and motorcycles",
        ),
        ("H_TransportationAndStorage", "Transportation and storage"),
        ("I_AccommodationAndFoodServiceActivities", "Accommodation and food service activities"),
        ("J_InformationAndCommunication", "Information and communication"),
        ("K_FinancialAndInsuranceActivities", "Financial and insurance activities"),
        ("L_RealEstateActivities", "Real estate activities"),
        (
            "M_ProfessionalScientificAndTechnicalActivities",
            "Professional, scientific and technical activities",
        ),
        (
            "N_AdministrativeAndSupportServiceActivities",
            "Administrative and support service activities",
        ),
        (
            "O_PublicAdministrationAndDefence",
            "Public administration and defence; compulsory social security",
        ),
        ("P_Education", "Education"),
        ("Q_HumanHealthAndSocialWorkActivities", "Human health and social work activities"),
        ("R_ArtsEntertainmentAndRecreation", "Arts, entertainment and recreation"),
        ("S_OtherServiceActivities", "Other service activities"),
        (
            "T_ActivitiesOfHouseholdsAsEmployers",
            "Activities of households as employers; undifferentiated goods- and services- "
            "producing activities of households for own use",
        ),
        (
            "U_ActivitiesOfExtraterritorialOrganizations",
            "Activities of extraterritorial organizations and bodies",
        ),
    ],
    "vic_TypeOfSexExploitation": [
        ("Prostitution", "Prostitution"),
        ("Pornography", "Pornography"),
        ("RemoteInteractiveServices", "Remote Interactive Services"),
        ("PrivateSexualServices", "Private Sexual Services"),
    ],
    "vic_Vulnerabilities": [
        ("Addiction", "Addiction"),
        ("SocialGroup", "Social Group"),
        ("Discrimination", "Discrimination"),
        ("Poverty", "Poverty"),
        ("DisabilityAndPhysicalHealth", "Disability and physical health"),
        ("MentalHealth", "Mental health"),
        ("Migration", "Migration"),
        ("Homelessness", "Homelessness"),
        ("AbuseSocialMedia", "Abuse - social media"),
        ("AbusePhysical", "Abuse - physical"),
        ("Education", "Education"),
        ("WorkEnvironment", "Work environment"),
    ],
    "cas_Status": [
        ("Active", "Active"),
        ("FollowUp", "Follow Up"),
        ("Closed", "Closed"),
        ("ClosedReferred", "Closed Referred"),
    ],
    "cas_ReasonForIncomingReferral": [
        ("AdditionalServicesRequired", "Additional Services Required"),
        ("MigrationOrChangeOfLocation", "Migration or Change of Location"),
        ("Other", "Other"),
    ],
    "cas_ReasonForOutgoingReferral": [
        ("AdditionalServicesRequired", "Additional Services Required"),
        ("MigrationOrChangeOfLocation", "Migration or Change of Location"),
        ("Other", "Other"),
    ],
}

# Multiselect picklists of the standard (several values in one cell).
MULTISELECT = {
    "prs_Citizenship",
    "vic_MethodOfRecruitment",
    "vic_MethodsOfControl",
    "vic_TypeOfExploitation",
    "vic_TypeOfSexExploitation",
    "vic_Vulnerabilities",
}

COUNTRIES_TEXT = (
    "AF=Afghanistan;AX=Åland Islands;AL=Albania;DZ=Algeria;AS=American "
    "Samoa;AD=Andorra;AO=Angola;AI=Anguilla;AQ=Antarctica;AG=Antigua and Barbuda;AR=Argentina;AM="
    "Armenia;AW=Aruba;AU=Australia;AT=Austria;AZ=Azerbaijan;BS=Bahamas;BH=Bahrain;BD=Bangladesh;B"
    "B=Barbados;BY=Belarus;BE=Belgium;BZ=Belize;BJ=Benin;BM=Bermuda;BT=Bhutan;BO=Bolivia "
    "(Plurinational State of);BQ=Bonaire, Sint Eustatius and Saba;BA=Bosnia and "
    "Herzegovina;BW=Botswana;BV=Bouvet Island;BR=Brazil;IO=British Indian Ocean "
    "Territory;BN=Brunei Darussalam;BG=Bulgaria;BF=Burkina Faso;BI=Burundi;CV=Cabo "
    "Verde;KH=Cambodia;CM=Cameroon;CA=Canada;KY=Cayman Islands;CF=Central African "
    "Republic;TD=Chad;CL=Chile;CN=China;CX=Christmas Island;CC=Cocos (Keeling) "
    "Islands;CO=Colombia;KM=Comoros;CG=Congo;CD=Congo, Democratic Republic of the;CK=Cook "
    "Islands;CR=Costa Rica;CI=Côte d'Ivoire;HR=Croatia;CU=Cuba;CW=Curaçao;CY=Cyprus;CZ=Czechia;DK"
    "=Denmark;DJ=Djibouti;DM=Dominica;DO=Dominican Republic;EC=Ecuador;EG=Egypt;SV=El "
    "Salvador;GQ=Equatorial Guinea;ER=Eritrea;EE=Estonia;SZ=Eswatini;ET=Ethiopia;FK=Falkland "
    "Islands (Malvinas);FO=Faroe Islands;FJ=Fiji;FI=Finland;FR=France;GF=French Guiana;PF=French "
    "Polynesia;TF=French Southern Territories;GA=Gabon;GM=Gambia;GE=Georgia;DE=Germany;GH=Ghana;G"
    "I=Gibraltar;GR=Greece;GL=Greenland;GD=Grenada;GP=Guadeloupe;GU=Guam;GT=Guatemala;GG=Guernsey"
    ";GN=Guinea;GW=Guinea-Bissau;GY=Guyana;HT=Haiti;HM=Heard Island and McDonald Islands;VA=Holy "
    "See;HN=Honduras;HK=Hong Kong;HU=Hungary;IS=Iceland;IN=India;ID=Indonesia;IR=Iran (Islamic "
    "Republic of);IQ=Iraq;IE=Ireland;IM=Isle of Man;IL=Israel;IT=Italy;JM=Jamaica;JP=Japan;JE=Jer"
    "sey;JO=Jordan;KZ=Kazakhstan;KE=Kenya;KI=Kiribati;KP=Korea (Democratic People's Republic "
    "of);KR=Korea, Republic of;KW=Kuwait;KG=Kyrgyzstan;LA=Lao People's Democratic Republic;LV=Lat"
    "via;LB=Lebanon;LS=Lesotho;LR=Liberia;LY=Libya;LI=Liechtenstein;LT=Lithuania;LU=Luxembourg;MO"
    "=Macao;MG=Madagascar;MW=Malawi;MY=Malaysia;MV=Maldives;ML=Mali;MT=Malta;MH=Marshall "
    "Islands;MQ=Martinique;MR=Mauritania;MU=Mauritius;YT=Mayotte;MX=Mexico;FM=Micronesia "
    "(Federated States of);MD=Moldova, Republic of;MC=Monaco;MN=Mongolia;ME=Montenegro;MS=Montser"
    "rat;MA=Morocco;MZ=Mozambique;MM=Myanmar;NA=Namibia;NR=Nauru;NP=Nepal;NL=Netherlands;NC=New "
    "Caledonia;NZ=New Zealand;NI=Nicaragua;NE=Niger;NG=Nigeria;NU=Niue;NF=Norfolk Island;MK=North"
    " Macedonia;MP=Northern Mariana Islands;NO=Norway;OM=Oman;PK=Pakistan;PW=Palau;PS=Palestine, "
    "State of;PA=Panama;PG=Papua New "
    "Guinea;PY=Paraguay;PE=Peru;PH=Philippines;PN=Pitcairn;PL=Poland;PT=Portugal;PR=Puerto "
    "Rico;QA=Qatar;RE=Réunion;RO=Romania;RU=Russian Federation;RW=Rwanda;BL=Saint "
    "Barthélemy;SH=Saint Helena, Ascension and Tristan da Cunha;KN=Saint Kitts and Nevis;LC=Saint"
    " Lucia;MF=Saint Martin (French part);PM=Saint Pierre and Miquelon;VC=Saint Vincent and the "
    "Grenadines;WS=Samoa;SM=San Marino;ST=Sao Tome and Principe;SA=Saudi "
    "Arabia;SN=Senegal;RS=Serbia;SC=Seychelles;SL=Sierra Leone;SG=Singapore;SX=Sint Maarten "
    "(Dutch part);SK=Slovakia;SI=Slovenia;SB=Solomon Islands;SO=Somalia;ZA=South Africa;GS=South "
    "Georgia and the South Sandwich Islands;SS=South Sudan;ES=Spain;LK=Sri "
    "Lanka;SD=Sudan;SR=Suriname;SJ=Svalbard and Jan Mayen;SE=Sweden;CH=Switzerland;SY=Syrian Arab"
    " Republic;TW=Taiwan, Province of China;TJ=Tajikistan;TZ=Tanzania, United Republic "
    "of;TH=Thailand;TL=Timor-Leste;TG=Togo;TK=Tokelau;TO=Tonga;TT=Trinidad and "
    "Tobago;TN=Tunisia;TR=Turkey;TM=Turkmenistan;TC=Turks and Caicos "
    "Islands;TV=Tuvalu;UG=Uganda;UA=Ukraine;AE=United Arab Emirates;GB=United Kingdom of Great "
    "Britain and Northern Ireland;UM=United States Minor Outlying Islands;US=United States of "
    "America;UY=Uruguay;UZ=Uzbekistan;VU=Vanuatu;VE=Venezuela (Bolivarian Republic of);VN=Viet "
    "Nam;VG=Virgin Islands (British);VI=Virgin Islands (U.S.);WF=Wallis and Futuna;EH=Western "
    "Sahara;YE=Yemen;ZM=Zambia;ZW=Zimbabwe"
)


def countries():
    """(ISO 3166 code, name) as the validation template's "Country" dropdown names them."""
    return [tuple(pair.split("=", 1)) for pair in "".join(COUNTRIES_TEXT).split(";")]
