"""The message types the worker backend accepts: one BullMQ queue each."""

from __future__ import annotations

from typing import Final, Literal

__all__ = ["MessageTypes", "MessageType"]

MessageType = Literal[
    "analytics-collection-request",
    "backend-logging-event",
    "ekg-edge-batch-create-completed",
    "ekg-edge-batch-create-request",
    "etsy-analytics-sync-completed",
    "etsy-analytics-sync-request",
    "etsy-publish-listing-completed",
    "etsy-publish-listing-request",
    "file-download-completed",
    "file-download-request",
    "file-vectorize-completed",
    "file-vectorize-request",
    "ip-check-completed",
    "ip-check-request",
    "marketplace-analytics-sync-completed",
    "marketplace-analytics-sync-request",
    "marketplace-connection-sync-completed",
    "marketplace-connection-sync-request",
    "marketplace-credential-rotation-completed",
    "marketplace-credential-rotation-request",
    "marketplace-intelligence-completed",
    "marketplace-intelligence-event",
    "marketplace-intelligence-request",
    "marketplace-listing-description-generation-completed",
    "marketplace-listing-description-generation-request",
    "marketplace-listing-sync-completed",
    "marketplace-listing-sync-request",
    "marketplace-listing-tags-generation-completed",
    "marketplace-listing-tags-generation-request",
    "marketplace-listing-title-generation-completed",
    "marketplace-listing-title-generation-request",
    "marketplace-listing-update-completed",
    "marketplace-listing-update-request",
    "marketplace-publish-listing-completed",
    "marketplace-publish-listing-request",
    "media-batch-download-completed",
    "media-batch-download-request",
    "metamodel-metadata-generation-completed",
    "metamodel-metadata-generation-request",
    "model-analytics-collection-request",
    "model-discovery-folder-processed-event",
    "model-discovery-scan-found-event",
    "model-discovery-scan-progress-event",
    "model-discovery-scan-request",
    "model-finder-index-request",
    "model-finder-response",
    "model-finder-search-request",
    "model-metadata-generation-completed",
    "model-metadata-generation-request",
    "model-metamodel-detection-found",
    "model-metamodel-detection-request",
    "model-print-analysis-completed",
    "model-print-analysis-request",
    "model-sellability-analysis-completed",
    "model-sellability-analysis-request",
    "model-semantic-analysis-completed",
    "model-semantic-analysis-request",
    "model-technical-metadata-completed",
    "model-technical-metadata-request",
    "slicing-fdm-request",
    "slicing-fdm-result",
    "slicing-simulation-request",
    "slicing-simulation-result",
    "slicing-sla-request",
    "slicing-sla-result",
    "thumbnail-generation-completed",
    "thumbnail-generation-request",
    "user-engagement-event",
    "worker-analytics-event",
    "worker-metrics-enriched-event",
]


class MessageTypes:
    """One constant per message type.

    Each value is the message type as sent on the wire, and the name of its BullMQ queue.
    """

    ANALYTICS_COLLECTION_REQUEST: Final = "analytics-collection-request"
    BACKEND_LOGGING_EVENT: Final = "backend-logging-event"
    EKG_EDGE_BATCH_CREATE_COMPLETED: Final = "ekg-edge-batch-create-completed"
    EKG_EDGE_BATCH_CREATE_REQUEST: Final = "ekg-edge-batch-create-request"
    ETSY_ANALYTICS_SYNC_COMPLETED: Final = "etsy-analytics-sync-completed"
    ETSY_ANALYTICS_SYNC_REQUEST: Final = "etsy-analytics-sync-request"
    ETSY_PUBLISH_LISTING_COMPLETED: Final = "etsy-publish-listing-completed"
    ETSY_PUBLISH_LISTING_REQUEST: Final = "etsy-publish-listing-request"
    FILE_DOWNLOAD_COMPLETED: Final = "file-download-completed"
    FILE_DOWNLOAD_REQUEST: Final = "file-download-request"
    FILE_VECTORIZE_COMPLETED: Final = "file-vectorize-completed"
    FILE_VECTORIZE_REQUEST: Final = "file-vectorize-request"
    IP_CHECK_COMPLETED: Final = "ip-check-completed"
    IP_CHECK_REQUEST: Final = "ip-check-request"
    MARKETPLACE_ANALYTICS_SYNC_COMPLETED: Final = "marketplace-analytics-sync-completed"
    MARKETPLACE_ANALYTICS_SYNC_REQUEST: Final = "marketplace-analytics-sync-request"
    MARKETPLACE_CONNECTION_SYNC_COMPLETED: Final = "marketplace-connection-sync-completed"
    MARKETPLACE_CONNECTION_SYNC_REQUEST: Final = "marketplace-connection-sync-request"
    MARKETPLACE_CREDENTIAL_ROTATION_COMPLETED: Final = "marketplace-credential-rotation-completed"
    MARKETPLACE_CREDENTIAL_ROTATION_REQUEST: Final = "marketplace-credential-rotation-request"
    MARKETPLACE_INTELLIGENCE_COMPLETED: Final = "marketplace-intelligence-completed"
    MARKETPLACE_INTELLIGENCE_EVENT: Final = "marketplace-intelligence-event"
    MARKETPLACE_INTELLIGENCE_REQUEST: Final = "marketplace-intelligence-request"
    MARKETPLACE_LISTING_DESCRIPTION_GENERATION_COMPLETED: Final = (
        "marketplace-listing-description-generation-completed"
    )
    MARKETPLACE_LISTING_DESCRIPTION_GENERATION_REQUEST: Final = (
        "marketplace-listing-description-generation-request"
    )
    MARKETPLACE_LISTING_SYNC_COMPLETED: Final = "marketplace-listing-sync-completed"
    MARKETPLACE_LISTING_SYNC_REQUEST: Final = "marketplace-listing-sync-request"
    MARKETPLACE_LISTING_TAGS_GENERATION_COMPLETED: Final = (
        "marketplace-listing-tags-generation-completed"
    )
    MARKETPLACE_LISTING_TAGS_GENERATION_REQUEST: Final = (
        "marketplace-listing-tags-generation-request"
    )
    MARKETPLACE_LISTING_TITLE_GENERATION_COMPLETED: Final = (
        "marketplace-listing-title-generation-completed"
    )
    MARKETPLACE_LISTING_TITLE_GENERATION_REQUEST: Final = (
        "marketplace-listing-title-generation-request"
    )
    MARKETPLACE_LISTING_UPDATE_COMPLETED: Final = "marketplace-listing-update-completed"
    MARKETPLACE_LISTING_UPDATE_REQUEST: Final = "marketplace-listing-update-request"
    MARKETPLACE_PUBLISH_LISTING_COMPLETED: Final = "marketplace-publish-listing-completed"
    MARKETPLACE_PUBLISH_LISTING_REQUEST: Final = "marketplace-publish-listing-request"
    MEDIA_BATCH_DOWNLOAD_COMPLETED: Final = "media-batch-download-completed"
    MEDIA_BATCH_DOWNLOAD_REQUEST: Final = "media-batch-download-request"
    METAMODEL_METADATA_GENERATION_COMPLETED: Final = "metamodel-metadata-generation-completed"
    METAMODEL_METADATA_GENERATION_REQUEST: Final = "metamodel-metadata-generation-request"
    MODEL_ANALYTICS_COLLECTION_REQUEST: Final = "model-analytics-collection-request"
    MODEL_DISCOVERY_FOLDER_PROCESSED_EVENT: Final = "model-discovery-folder-processed-event"
    MODEL_DISCOVERY_SCAN_FOUND_EVENT: Final = "model-discovery-scan-found-event"
    MODEL_DISCOVERY_SCAN_PROGRESS_EVENT: Final = "model-discovery-scan-progress-event"
    MODEL_DISCOVERY_SCAN_REQUEST: Final = "model-discovery-scan-request"
    MODEL_FINDER_INDEX_REQUEST: Final = "model-finder-index-request"
    MODEL_FINDER_RESPONSE: Final = "model-finder-response"
    MODEL_FINDER_SEARCH_REQUEST: Final = "model-finder-search-request"
    MODEL_METADATA_GENERATION_COMPLETED: Final = "model-metadata-generation-completed"
    MODEL_METADATA_GENERATION_REQUEST: Final = "model-metadata-generation-request"
    MODEL_METAMODEL_DETECTION_FOUND: Final = "model-metamodel-detection-found"
    MODEL_METAMODEL_DETECTION_REQUEST: Final = "model-metamodel-detection-request"
    MODEL_PRINT_ANALYSIS_COMPLETED: Final = "model-print-analysis-completed"
    MODEL_PRINT_ANALYSIS_REQUEST: Final = "model-print-analysis-request"
    MODEL_SELLABILITY_ANALYSIS_COMPLETED: Final = "model-sellability-analysis-completed"
    MODEL_SELLABILITY_ANALYSIS_REQUEST: Final = "model-sellability-analysis-request"
    MODEL_SEMANTIC_ANALYSIS_COMPLETED: Final = "model-semantic-analysis-completed"
    MODEL_SEMANTIC_ANALYSIS_REQUEST: Final = "model-semantic-analysis-request"
    MODEL_TECHNICAL_METADATA_COMPLETED: Final = "model-technical-metadata-completed"
    MODEL_TECHNICAL_METADATA_REQUEST: Final = "model-technical-metadata-request"
    SLICING_FDM_REQUEST: Final = "slicing-fdm-request"
    SLICING_FDM_RESULT: Final = "slicing-fdm-result"
    SLICING_SIMULATION_REQUEST: Final = "slicing-simulation-request"
    SLICING_SIMULATION_RESULT: Final = "slicing-simulation-result"
    SLICING_SLA_REQUEST: Final = "slicing-sla-request"
    SLICING_SLA_RESULT: Final = "slicing-sla-result"
    THUMBNAIL_GENERATION_COMPLETED: Final = "thumbnail-generation-completed"
    THUMBNAIL_GENERATION_REQUEST: Final = "thumbnail-generation-request"
    USER_ENGAGEMENT_EVENT: Final = "user-engagement-event"
    WORKER_ANALYTICS_EVENT: Final = "worker-analytics-event"
    WORKER_METRICS_ENRICHED_EVENT: Final = "worker-metrics-enriched-event"
