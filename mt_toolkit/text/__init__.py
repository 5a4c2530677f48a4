"""Text handling before translation: sentence segmentation, normalisation, quote spans."""
