"""The technician mini-program: thin functions that authorise, validate, delegate and shape.

onboarding    apply with qualifications, upload certificate files, application status
profile       own profile (bio, avatar), skills and areas (changes go to the operations team)
availability  weekly hours, leave, online / offline, live location
offers        pending offers with a booking summary, accept, reject
jobs          my jobs, job detail, depart → arrive → start → extra charges → complete, exceptions
earnings      this month and last month
reviews       reviews about me, appeal a review; appeals of other decisions (HS Appeal)
inbox         messages the platform sent me, unread count, mark read

Every function resolves records within the caller's scope (`scope.py`): another technician's booking,
offer or leave is "not found", never data.
"""
